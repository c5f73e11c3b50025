import pytest
import torch


@pytest.mark.skipif(torch.__version__ < "1.5", reason="checkpoint reshaping needs torch 1.5 or later")
def test_reshape_checkpoint():
    assert torch.zeros(2).numel() == 2
