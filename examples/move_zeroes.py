def moveZeros(nums):
    num_zero = 0
    result = []
    while nums:
        number = nums.pop(0)
        if number != 0:
            result.append(number)
        else:
            num_zero += 1
    i = 0
    while i < num_zero:
        result.append(0)
        i += 1
    return result
