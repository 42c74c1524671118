def digit_sum(n):
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total


def histogram(numbers):
    counts = {}
    for x in numbers:
        key = digit_sum(x)
        counts[key] = counts.get(key, 0) + 1
    return counts
