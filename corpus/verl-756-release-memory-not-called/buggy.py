import logging

import torch

logger = logging.getLogger(__name__)


class FSDPSGLangShardingManager:
    def __init__(self, module, inference_engine):
        self.module = module
        self.inference_engine = inference_engine

    def __enter__(self):
        params = self.module.state_dict()
        self.inference_engine.update_weights_from_tensor(list(params.items()))
        del params
        torch.cuda.empty_cache()

    def __exit__(self, exc_type, exc_value, traceback):
        logger.info("before offloading the rollout engine: %d", torch.cuda.memory_allocated())
        self.inference_engine.release_memory_occupation
        logger.info("after offloading the rollout engine: %d", torch.cuda.memory_allocated())
        self.module.train()
