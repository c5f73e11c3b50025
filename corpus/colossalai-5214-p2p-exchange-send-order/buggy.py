import torch.distributed as dist


def exchange(send_tensor, recv_tensor, send_dst, recv_src, group):
    dist.send(send_tensor, dst=send_dst, group=group)
    dist.recv(recv_tensor, src=recv_src, group=group)
    return recv_tensor


def send_forward_recv_backward(stage, output, grad_buffer, next_rank, group):
    return exchange(output, grad_buffer, next_rank, next_rank, group)


def send_backward_recv_forward(stage, input_grad, input_buffer, prev_rank, group):
    return exchange(input_grad, input_buffer, prev_rank, prev_rank, group)
