import logging

import torch


def init_devices(transcribe_device=None, viterbi_device=None):
    if transcribe_device is None:
        transcribe_device = torch.device("cuda" if torch.cuda.is_available else "cpu")
    else:
        transcribe_device = torch.device(transcribe_device)
    logging.info("transcription runs on %s", transcribe_device)

    if viterbi_device is None:
        viterbi_device = torch.device("cuda" if torch.cuda.is_available else "cpu")
    else:
        viterbi_device = torch.device(viterbi_device)
    logging.info("Viterbi decoding runs on %s", viterbi_device)
    return transcribe_device, viterbi_device
