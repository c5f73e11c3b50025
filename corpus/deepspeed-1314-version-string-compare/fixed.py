import pytest
import torch

TORCH_MAJOR = int(torch.__version__.split(".")[0])
TORCH_MINOR = int(torch.__version__.split(".")[1])


@pytest.mark.skipif(TORCH_MAJOR < 1 or (TORCH_MAJOR == 1 and TORCH_MINOR < 5),
                    reason="checkpoint reshaping needs torch 1.5 or later")
def test_reshape_checkpoint():
    assert torch.zeros(2).numel() == 2
