def process_list(ywhm, erep):
    while ywhm and erep:
        if ywhm:
            ywhm.pop()
        erep = erep[1:] if erep else erep
        if erep and erep[0] % 2 == 0:
            erep.pop(0)
        if erep and erep[0] % 2 == 1:
            erep.pop(0)
        if erep:
            erep.pop(0)
        if ywhm:
            ywhm.pop()
        val = erep[-1] if erep else 53
        ywhm.append(val)
        if erep:
            var = erep.pop(0)
            ywhm.append(var)
    return ywhm
