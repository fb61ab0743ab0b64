"""Greedy non-maximum suppression in plain torch, as torchvision documents `nms` and `batched_nms`.

nms: boxes (x1, y1, x2, y2) taken by decreasing score; each kept box discards every later box whose
IoU with it is greater than `iou_threshold`; returns the kept indices by decreasing score. Areas are
(x2 - x1) * (y2 - y1), without +1. Equal scores keep their input order (a stable sort), which the
Swift port (FaceSuppression.union) mirrors.

batched_nms: the same within each value of `idxs` independently; the kept indices of all groups
ordered by decreasing score.
"""
import torch


def nms(boxes, scores, iou_threshold):
    order = torch.sort(scores, descending=True, stable=True).indices
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    areas = (x2 - x1) * (y2 - y1)
    removed = torch.zeros(len(order), dtype=torch.bool)
    keep = []
    for n in range(len(order)):
        i = order[n]
        if removed[i]:
            continue
        keep.append(int(i))
        rest = order[n + 1:]
        w = (torch.minimum(x2[i], x2[rest]) - torch.maximum(x1[i], x1[rest])).clamp(min=0)
        h = (torch.minimum(y2[i], y2[rest]) - torch.maximum(y1[i], y1[rest])).clamp(min=0)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter)
        removed[rest[iou > iou_threshold]] = True
    return torch.as_tensor(keep, dtype=torch.int64)


def batched_nms(boxes, scores, idxs, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64)
    keep = []
    for k in torch.unique(idxs):
        members = torch.where(idxs == k)[0]
        keep.append(members[nms(boxes[members], scores[members], iou_threshold)])
    keep = torch.cat(keep)
    return keep[torch.sort(scores[keep], descending=True, stable=True).indices]
