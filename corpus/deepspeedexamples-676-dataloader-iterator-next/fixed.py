import torch


def first_batch(loader):
    batches = iter(loader)
    images, labels = next(batches)
    return images, labels
