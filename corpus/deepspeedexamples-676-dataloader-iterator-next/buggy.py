import torch


def first_batch(loader):
    batches = iter(loader)
    images, labels = batches.next()
    return images, labels
