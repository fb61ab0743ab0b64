"""Write the ONNX executor's test fixtures into Tests/MIQATests/Fixtures/onnx/.

    .build/oracle-venv/bin/python3 tools/onnx/make_fixtures.py [--out DIR] [--only NAME ...]

Per graph NAME: NAME.onnx and NAME.io.safetensors (float32 inputs under `input.<graph input>`,
ONNX Runtime's outputs under `output.<graph output>`; CPUExecutionProvider with every graph
optimization disabled, so ORT computes the graph as written), plus one manifest.json for all.

Graphs: two tiny networks exported by torch.onnx.export (the TorchScript exporter, opset 17) from
plain-PyTorch copies of torchvision's ResNet-18 and MobileNetV2 topologies, a set of one-to-few
node operator graphs built with onnx.helper, and `unsupported_op` (an Einsum node the executor is
expected to refuse by name). Every random value comes from a numpy generator seeded by the
graph's name, so re-running reproduces the same bytes (on the same torch / onnx / ORT build).

Each operator graph is also run through onnx's own reference evaluator (onnx.reference); the
summary line shows the largest difference between the two, as a check that ORT's answer is the
specification's.
"""
import argparse
import io
import json
import math
import os
import sys
import warnings
import zlib

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from safetensors.numpy import save_file
from torch import nn
from torch.nn import functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "Tests", "MIQATests", "Fixtures", "onnx")
PRODUCER = "miqa tools/onnx/make_fixtures.py"
INT64_MAX = np.iinfo(np.int64).max


def rng_for(name):
    """A generator seeded by the graph's name: adding or reordering graphs changes no other graph."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def f32(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32))


def i64(a):
    return np.asarray(a, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# Plain-PyTorch copies of torchvision's topologies (torchvision does not import with this torch).
# Module and parameter names are torchvision's.


# The reference networks are the oracle's own (tools/oracle): torchvision's structure and
# parameter names in plain PyTorch, configured small.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from models import BasicBlock, ResNet  # noqa: E402
from mobilenet_v2 import InvertedResidual, MobileNetV2  # noqa: E402


@torch.no_grad()
def randomize(model, rng):
    """Random weights keeping activations O(1): conv/linear weights N(0, gain^2 / fan_in) (gain sqrt 2,
    std 0.06-0.47 here), biases N(0, 0.1^2); BN gamma U(0.5, 1.5) (U(0.2, 0.5) on a residual branch's
    last BN, so that skips do not make the activations grow with depth), beta N(0, 0.1^2), running
    mean N(0, 0.2^2), running var U(0.5, 2)."""
    last_bn = set()
    for m in model.modules():
        if isinstance(m, BasicBlock):
            last_bn.add(id(m.bn2))
        if isinstance(m, InvertedResidual) and m.use_skip:
            last_bn.add(id(m.conv[-1]))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            m.weight.copy_(torch.from_numpy(f32(rng.normal(0, math.sqrt(2.0 / fan_in), m.weight.shape))))
            if m.bias is not None:
                m.bias.copy_(torch.from_numpy(f32(rng.normal(0, 0.1, m.bias.shape))))
        elif isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            lo, hi = (0.2, 0.5) if id(m) in last_bn else (0.5, 1.5)
            m.weight.copy_(torch.from_numpy(f32(rng.uniform(lo, hi, n))))
            m.bias.copy_(torch.from_numpy(f32(rng.normal(0, 0.1, n))))
            m.running_mean.copy_(torch.from_numpy(f32(rng.normal(0, 0.2, n))))
            m.running_var.copy_(torch.from_numpy(f32(rng.uniform(0.5, 2.0, n))))


def export(model, x, dynamic_batch, keep_batchnorm):
    """torch.onnx.export with the TorchScript exporter (dynamo=False: no onnxscript needed), opset 17.

    keep_batchnorm: training=PRESERVE on an eval-mode model exports inference-mode graphs without the
    eval peephole pass that folds BatchNormalization into the preceding Conv, so BN nodes stay and
    every initializer keeps its PyTorch name. Otherwise (the exporter's default, TrainingMode.EVAL)
    BN is folded and the folded weights get generated names (onnx::Conv_NNN)."""
    buf = io.BytesIO()
    kwargs = dict(input_names=["input"], output_names=["logits"], opset_version=17, dynamo=False,
                  do_constant_folding=True)
    if dynamic_batch:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
    if keep_batchnorm:
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.from_numpy(x),), buf, **kwargs)
    return buf.getvalue()


def network_fixtures():
    out = []

    name = "resnet18_tiny"
    rng = rng_for(name)
    model = ResNet({"block": "basic", "layers": [2, 2, 2, 2], "stem_width": 8, "widths": [8, 16, 32, 64], "num_outputs": 10})
    randomize(model, rng)
    model.eval()
    x = f32(rng.normal(0, 1, (2, 3, 64, 64)))
    out.append(dict(name=name, model_bytes=export(model, x, dynamic_batch=False, keep_batchnorm=True),
                    inputs={"input": x}, torch_model=model,
                    notes="torchvision ResNet-18 topology (BasicBlock x [2,2,2,2], widths 8/16/32/64, 10 "
                          "classes), random weights, eval mode; torch.onnx.export (TorchScript exporter) "
                          "opset 17 with training=PRESERVE so BatchNormalization nodes are kept (not folded "
                          "into Conv) and initializers keep torchvision's names (conv1.weight, "
                          "layer1.0.bn1.running_mean, fc.weight, ...); static shapes"))

    name = "mobilenet_v2_tiny"
    rng = rng_for(name)
    model = MobileNetV2({"width_mult": 0.25, "num_outputs": 10})
    randomize(model, rng)
    model.eval()
    x = f32(rng.normal(0, 1, (2, 3, 64, 64)))
    out.append(dict(name=name, model_bytes=export(model, x, dynamic_batch=True, keep_batchnorm=False),
                    inputs={"input": x}, torch_model=model, dynamic_batch=True,
                    notes="torchvision MobileNetV2 topology (width_mult 0.25 with _make_divisible: stem 8, "
                          "stages 8/8/8/16/24/40/80, head 1280; ReLU6; classifier Dropout(0.2)+Linear, 10 "
                          "classes), random weights, eval mode; torch.onnx.export (TorchScript exporter) "
                          "opset 17 with the exporter's defaults (BatchNormalization folded into Conv, "
                          "folded weights named onnx::Conv_*; Dropout dropped) and a dynamic batch axis "
                          "'batch' on input and logits; the stored input has batch 2"))
    return out


# --------------------------------------------------------------------------------------------
# Operator graphs built with onnx.helper.


class Graph:
    """A small graph under construction: float32 graph inputs with their values, initializers, nodes."""

    def __init__(self, name, opset=17):
        self.name, self.opset = name, opset
        self.rng = rng_for(name)
        self.nodes, self.inputs, self.inits, self.outputs = [], {}, [], []
        self.notes = ""

    def input(self, name, shape, scale=1.0, low=None):
        """A float32 graph input ~ N(0, scale^2), or U(low, low + scale) when low is given."""
        if low is None:
            v = self.rng.normal(0, scale, shape)
        else:
            v = self.rng.uniform(low, low + scale, shape)
        self.inputs[name] = f32(v)
        return name

    def init(self, name, value):
        value = np.asarray(value)
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, name, shape, std=0.3):
        return self.init(name, f32(self.rng.normal(0, std, shape)))

    def node(self, op, inputs, outputs, name=None, **attrs):
        outputs = [outputs] if isinstance(outputs, str) else outputs
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name or f"{op}_{len(self.nodes)}",
                                           **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def output(self, *names):
        self.outputs += names

    def model(self, output_shapes=None):
        ins = [helper.make_tensor_value_info(n, TensorProto.FLOAT, v.shape) for n, v in self.inputs.items()]
        outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT,
                                              None if output_shapes is None else output_shapes[n])
                for n in self.outputs]
        graph = helper.make_graph(self.nodes, self.name, ins, outs, initializer=self.inits)
        opsets = [helper.make_opsetid("", self.opset)]
        return helper.make_model(graph, opset_imports=opsets, producer_name=PRODUCER,
                                 ir_version=helper.find_min_ir_version_for(opsets))


def op_conv():
    g = Graph("op_conv")
    x = g.input("x", (1, 4, 11, 13))
    g.output(g.node("Conv", [x, g.weight("w_grouped", (6, 2, 3, 3)), g.weight("b_grouped", (6,))],
                    "conv_grouped", group=2, dilations=[2, 2], strides=[2, 2], pads=[1, 0, 2, 1],
                    kernel_shape=[3, 3]))
    g.output(g.node("Conv", [x, g.weight("w_same_upper", (5, 4, 3, 2))], "conv_same_upper_nobias",
                    auto_pad="SAME_UPPER", strides=[2, 2]))
    g.output(g.node("Conv", [x, g.weight("w_depthwise", (4, 1, 3, 3)), g.weight("b_depthwise", (4,))],
                    "conv_depthwise", group=4, pads=[1, 1, 1, 1]))
    g.notes = ("conv_grouped: group 2, dilations 2, strides 2, pads [1,0,2,1] (h_begin, w_begin, h_end, "
               "w_end), bias; conv_same_upper_nobias: 3x2 kernel, stride 2, auto_pad SAME_UPPER (odd total "
               "padding: the extra row/column at the end), no bias, no kernel_shape attribute (taken from W); "
               "conv_depthwise: group = channels, pads 1")
    return g


def op_convtranspose():
    g = Graph("op_convtranspose")
    x = g.input("x", (1, 4, 5, 6))
    g.output(g.node("ConvTranspose", [x, g.weight("w_g1", (4, 3, 3, 3)), g.weight("b_g1", (3,))],
                    "convtranspose_g1", strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1],
                    kernel_shape=[3, 3]))
    g.output(g.node("ConvTranspose", [x, g.weight("w_g2", (4, 2, 3, 3))], "convtranspose_g2", group=2,
                    strides=[2, 1], pads=[1, 0, 0, 1], output_padding=[1, 0]))
    g.notes = ("W is [C_in, C_out/group, kH, kW]; out = (in-1)*stride + k - pad_begin - pad_end + output_padding. "
               "convtranspose_g1: stride 2, pads 1, output_padding 1, bias -> [1,3,10,12]; convtranspose_g2: "
               "group 2, strides [2,1], asymmetric pads [1,0,0,1], output_padding [1,0], no bias")
    return g


def op_batchnorm():
    g = Graph("op_batchnorm")
    x = g.input("x", (2, 3, 4, 5))
    c = 3
    ins = [x, g.init("scale", f32(g.rng.uniform(0.5, 1.5, c))), g.init("bias", f32(g.rng.normal(0, 0.3, c))),
           g.init("mean", f32(g.rng.normal(0, 0.3, c))), g.init("var", f32(g.rng.uniform(0.2, 2.0, c)))]
    g.output(g.node("BatchNormalization", ins, "bn", epsilon=1e-3))
    g.notes = "inference-mode BatchNormalization (opset 15 schema, training_mode 0), epsilon 1e-3"
    return g


def op_activations():
    g = Graph("op_activations")
    x = g.input("x", (2, 3, 4, 5), scale=3.0)
    g.output(g.node("Relu", [x], "relu"))
    g.output(g.node("LeakyRelu", [x], "leaky_relu", alpha=0.2))
    g.output(g.node("Clip", [x, g.init("clip_min", f32(-1.5)), g.init("clip_max", f32(2.0))], "clip"))
    g.output(g.node("Clip", [x, g.init("clip_zero", f32(0.0)), g.init("clip_six", f32(6.0))], "clip_relu6"))
    g.output(g.node("Clip", [x, "", g.init("clip_half", f32(0.5))], "clip_max_only"))
    g.output(g.node("Sigmoid", [x], "sigmoid"))
    g.output(g.node("HardSigmoid", [x], "hard_sigmoid", alpha=0.25, beta=0.4))
    g.output(g.node("HardSwish", [x], "hard_swish"))
    g.output(g.node("Tanh", [x], "tanh"))
    g.notes = ("x ~ N(0, 9); Clip's min/max are scalar initializers given as inputs (opset >= 11 form); "
               "clip_max_only omits min (empty input name); HardSigmoid = max(0, min(1, 0.25 x + 0.4)); "
               "HardSwish = x * max(0, min(1, x/6 + 1/2))")
    return g


def op_elementwise():
    g = Graph("op_elementwise")
    a = g.input("a", (2, 3, 4, 5))
    c3 = g.input("c3", (3, 1, 1))
    p = g.input("p", (2, 1, 4, 1))
    q = g.input("q", (3, 1, 5))
    g.output(g.node("Add", [a, c3], "add_c11"))
    g.output(g.node("Sub", [a, g.weight("v5", (5,), std=1.0)], "sub_last_axis"))
    g.output(g.node("Sub", ["v5", a], "sub_reversed"))
    g.output(g.node("Mul", [a, g.init("s", f32(-1.75))], "mul_scalar"))
    g.output(g.node("Div", [a, g.init("d", f32(g.rng.uniform(0.5, 1.5, (1, 3, 1, 5))))], "div_bcast"))
    g.output(g.node("Add", [p, q], "add_mutual"))
    g.output(g.node("Mul", [a, a], "mul_same"))
    g.notes = ("numpy broadcasting: [2,3,4,5] with [3,1,1] (input), [5] and [1,3,1,5] (initializers), a "
               "scalar (rank-0 initializer), the small operand first (sub_reversed), and mutual broadcast "
               "[2,1,4,1] + [3,1,5] -> [2,3,4,5]; divisors in [0.5, 1.5]")
    return g


def op_constant_identity():
    g = Graph("op_constant_identity")
    x = g.input("x", (2, 3, 2, 2))
    const = helper.make_tensor("k", TensorProto.FLOAT, (3, 1, 1), [0.5, -1.0, 2.0])
    k = g.node("Constant", [], "k", value=const)
    s = g.node("Add", [x, k], "sum")
    g.output(g.node("Identity", [s], "identity"))
    g.notes = "a Constant node (value attribute, [3,1,1]) feeding Add, then Identity to the output"
    return g


def op_pool():
    g = Graph("op_pool")
    x = g.input("x", (1, 3, 9, 10))
    g.output(g.node("MaxPool", [x], "maxpool_k3s2p1", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
    g.output(g.node("MaxPool", [x], "maxpool_ceil", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1))
    g.output(g.node("AveragePool", [x], "avgpool_exclude_pad", kernel_shape=[3, 3], strides=[2, 2],
                    pads=[1, 1, 1, 1], count_include_pad=0))
    g.output(g.node("AveragePool", [x], "avgpool_include_pad", kernel_shape=[3, 3], strides=[2, 2],
                    pads=[1, 0, 2, 1], count_include_pad=1))
    g.output(g.node("GlobalAveragePool", [x], "global_avgpool"))
    g.notes = ("input 9x10; maxpool_k3s2p1 -> 5x5; maxpool_ceil: no pads, ceil_mode 1 -> 4x5 (floor would "
               "give 4x4; the last column window is partial); avgpool_exclude_pad: pads 1, "
               "count_include_pad 0 (divide by the in-image count); avgpool_include_pad: asymmetric pads "
               "[1,0,2,1], count_include_pad 1 (divide by 9, padding counts as zeros)")
    return g


def op_reshape_transpose():
    g = Graph("op_reshape_transpose")
    x = g.input("x", (2, 3, 4, 5))
    g.output(g.node("Flatten", [x], "flatten_axis1", axis=1))
    g.output(g.node("Flatten", [x], "flatten_axis2", axis=2))
    g.output(g.node("Reshape", [x, g.init("shape_0_m1", i64([0, -1, 10]))], "reshape_0_m1"))
    g.output(g.node("Transpose", [x], "transpose_nhwc", perm=[0, 2, 3, 1]))
    g.notes = ("Flatten axis 1 -> [2,60], axis 2 -> [6,20]; Reshape with shape [0,-1,10] (0 copies the "
               "input dim, allowzero 0) -> [2,6,10]; Transpose perm [0,2,3,1]")
    return g


def op_concat():
    g = Graph("op_concat")
    x = g.input("x", (2, 3, 4, 5))
    y = g.input("y", (2, 2, 4, 5))
    z = g.input("z", (2, 3, 4, 2))
    g.output(g.node("Concat", [x, y, x], "concat_axis1", axis=1))
    g.output(g.node("Concat", [x, z], "concat_axis_m1", axis=-1))
    g.notes = "Concat axis 1 of three tensors (one repeated) -> [2,8,4,5]; axis -1 -> [2,3,4,7]"
    return g


def op_slice_split():
    g = Graph("op_slice_split")
    x = g.input("x", (2, 6, 7, 9))
    g.output(g.node("Slice", [x, g.init("s1_starts", i64([1, -5])), g.init("s1_ends", i64([INT64_MAX, -1])),
                              g.init("s1_axes", i64([1, 3])), g.init("s1_steps", i64([1, 2]))], "slice_steps"))
    g.output(g.node("Slice", [x, g.init("s2_starts", i64([0, 0, 1, 0])),
                              g.init("s2_ends", i64([1, 4, INT64_MAX, 100]))], "slice_no_axes"))
    g.output(g.node("Slice", [x, g.init("s3_starts", i64([-4])), g.init("s3_ends", i64([INT64_MAX])),
                              g.init("s3_axes", i64([-2])), g.init("s3_steps", i64([2]))], "slice_negative_axis"))
    g.output(*g.node("Split", [x, g.init("split_sizes", i64([2, 4]))], ["split_a", "split_b"], axis=1))
    g.output(*g.node("Split", [x], ["split_eq_0", "split_eq_1", "split_eq_2"], axis=-1))
    g.notes = ("Slice inputs are int64 initializers. slice_steps: axes [1,3], starts [1,-5], ends "
               "[INT64_MAX,-1], steps [1,2] -> [2,5,7,2]; slice_no_axes: axes/steps omitted, an end (100) "
               "past the dim is clamped -> [1,4,6,9]; slice_negative_axis: axis -2, start -4, end INT64_MAX, "
               "step 2 -> [2,6,2,9]. Split (opset 13 schema, the one in force at opset 17): sizes [2,4] as "
               "the second input on axis 1; equal split into 3 on axis -1 with no sizes input")
    return g


def op_squeeze_unsqueeze():
    g = Graph("op_squeeze_unsqueeze")
    x = g.input("x", (2, 1, 3, 1, 4))
    sq = g.node("Squeeze", [x, g.init("squeeze_axes", i64([1, -2]))], "squeezed")
    g.output(sq)
    g.output(g.node("Squeeze", [x], "squeezed_all"))
    g.output(g.node("Unsqueeze", [sq, g.init("unsqueeze_axes", i64([0, -1]))], "unsqueezed"))
    g.notes = ("opset 13 forms with axes as an int64 input: Squeeze axes [1,-2] -> [2,3,4]; Squeeze "
               "without axes drops every 1 -> [2,3,4]; Unsqueeze axes [0,-1] (of the output rank 5) -> "
               "[1,2,3,4,1]")
    return g


def op_gemm_matmul():
    g = Graph("op_gemm_matmul")
    a = g.input("a", (3, 6))
    g.output(g.node("Gemm", [a, g.weight("gemm_b", (4, 6)), g.weight("gemm_c", (4,))], "gemm",
                    transB=1, alpha=0.5, beta=2.0))
    at = g.input("a_t", (6, 3))
    g.output(g.node("Gemm", [at, g.weight("gemm2_b", (6, 4))], "gemm_transA_noC", transA=1))
    x3 = g.input("x3", (2, 3, 6))
    g.output(g.node("MatMul", [x3, g.weight("mm_w", (6, 5))], "matmul_3d_2d"))
    m = g.input("m", (3, 6))
    n = g.input("n", (6, 4))
    g.output(g.node("MatMul", [m, n], "matmul_2d"))
    g.notes = ("gemm: Y = 0.5 * A B^T + 2 C with B [4,6] (transB 1) and C [4] broadcast over rows; "
               "gemm_transA_noC: A^T B, no C; MatMul [2,3,6] x [6,5] (batched x 2-D) and [3,6] x [6,4]")
    return g


def op_softmax():
    g = Graph("op_softmax")
    x = g.input("x", (2, 3, 4, 5), scale=2.0)
    g.output(g.node("Softmax", [x], "softmax_last", axis=-1))
    g.output(g.node("Softmax", [x], "softmax_axis1", axis=1))
    g.notes = "opset 13+ Softmax (normalizes along the one axis, no flattening) on 4-D, axis -1 and axis 1"
    return g


def op_resize():
    g = Graph("op_resize", opset=13)
    x = g.input("x", (1, 2, 3, 4))
    g.output(g.node("Resize", [x, "", g.init("scales_2x", f32([1, 1, 2, 2]))], "resize_nearest_asymmetric",
                    mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor"))
    g.output(g.node("Resize", [x, "", "", g.init("sizes_5x7", i64([1, 2, 5, 7]))], "resize_linear_half_pixel",
                    mode="linear", coordinate_transformation_mode="half_pixel"))
    g.output(g.node("Resize", [x, "", "scales_2x"], "resize_linear_align_corners", mode="linear",
                    coordinate_transformation_mode="align_corners"))
    g.output(g.node("Resize", [x, "", "", g.init("sizes_1x6", i64([1, 2, 1, 6]))],
                    "resize_linear_pytorch_half_pixel", mode="linear",
                    coordinate_transformation_mode="pytorch_half_pixel"))
    g.notes = ("opset 13 Resize, roi omitted (empty name). resize_nearest_asymmetric: scales [1,1,2,2], "
               "x_in = floor(x_out / 2) (what exporters emit for nn.Upsample nearest) -> [1,2,6,8]; "
               "resize_linear_half_pixel: sizes [1,2,5,7] (non-integer ratios, scales unused: empty name); "
               "resize_linear_align_corners: scales 2x -> [1,2,6,8]; resize_linear_pytorch_half_pixel: sizes "
               "[1,2,1,6]: an output length of 1 samples input coordinate 0 (the spec's rule, which ORT follows; "
               "half_pixel, and torch's own bilinear, would sample the centre row 1). torch.onnx.export at "
               "opset 17 emits half_pixel for bilinear align_corners=False and asymmetric/floor for nearest")
    return g


def op_upsample_opset9():
    g = Graph("op_upsample_opset9", opset=9)
    x = g.input("x", (1, 2, 3, 4))
    g.output(g.node("Upsample", [x, g.init("scales", f32([1, 1, 2, 3]))], "upsample_nearest", mode="nearest"))
    g.notes = "opset 9 Upsample (deprecated since 10), nearest, scales [1,1,2,3] as an initializer input"
    return g


def op_pad():
    g = Graph("op_pad")
    x = g.input("x", (1, 2, 3, 4))
    g.output(g.node("Pad", [x, g.init("pads_const", i64([0, 0, 1, 2, 0, 0, 2, 1])), g.init("pad_value", f32(0.5))],
                    "pad_constant", mode="constant"))
    g.output(g.node("Pad", [x, g.init("pads_reflect", i64([0, 0, 2, 1, 0, 0, 1, 3]))], "pad_reflect", mode="reflect"))
    g.output(g.node("Pad", [x, g.init("pads_edge", i64([0, 0, 1, 0, 0, 0, 0, 2]))], "pad_edge", mode="edge"))
    g.notes = ("pads as an int64 input [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. pad_constant: pads "
               "[0,0,1,2, 0,0,2,1], constant_value input 0.5 -> [1,2,6,7]; pad_reflect: [0,0,2,1, 0,0,1,3] "
               "(each pad < dim) -> [1,2,6,8]; pad_edge: [0,0,1,0, 0,0,0,2] -> [1,2,4,6]")
    return g


def op_shape():
    g = Graph("op_shape")
    x = g.input("x", (2, 3, 4, 5))

    def const(name, value):
        return g.node("Constant", [], name, value=numpy_helper.from_array(i64(value), name))

    shape = g.node("Shape", [x], "shape")
    n = g.node("Gather", [shape, const("idx0", 0)], "n", axis=0)
    n1 = g.node("Unsqueeze", [n, const("axes0", [0])], "n_1d")
    flat_shape = g.node("Concat", [n1, const("minus1", [-1])], "flat_shape", axis=0)
    flat = g.node("Reshape", [x, flat_shape], "flat")
    g.output(flat)
    hw = g.node("Gather", [shape, const("idx23", [2, 3])], "hw", axis=0)
    back_shape = g.node("Concat", [n1, const("three", [3]), hw], "back_shape", axis=0)
    g.output(g.node("Reshape", [flat, back_shape], "restored"))
    g.notes = ("shape arithmetic as exporters emit it: Shape -> Gather(scalar index 0 from a Constant) -> "
               "Unsqueeze(axes [0]) -> Concat with Constant [-1] -> Reshape (flat [2,60]); and "
               "Gather(indices [2,3]) -> Concat(n, [3], hw) -> Reshape back (restored [2,3,4,5] == x)")
    return g


def unsupported_op():
    g = Graph("unsupported_op")
    x = g.input("x", (2, 3, 4))
    r = g.node("Relu", [x], "relu")
    e = g.node("Einsum", [r, g.weight("w", (4, 5))], "einsum", name="the_unsupported_node", equation="bij,jk->bik")
    g.output(g.node("Add", [e, g.weight("b", (5,))], "y"))
    g.notes = ("Relu -> Einsum (node 'the_unsupported_node', equation bij,jk->bik) -> Add: a valid graph the "
               "executor should refuse naming that node and its op type; outputs included since ORT runs it")
    return g


OP_GRAPHS = [op_conv, op_convtranspose, op_batchnorm, op_activations, op_elementwise, op_constant_identity,
             op_pool, op_reshape_transpose, op_concat, op_slice_split, op_squeeze_unsqueeze, op_gemm_matmul,
             op_softmax, op_resize, op_upsample_opset9, op_pad, op_shape, unsupported_op]


# Independent PyTorch computations of the outputs whose semantics are the easiest to get wrong
# (and where onnx.reference is wrong or fails): value(name) is an input or initializer as a tensor.


def _torch_conv(v):
    x = v("x")
    grouped = F.conv2d(F.pad(x, (0, 1, 1, 2)), v("w_grouped"), v("b_grouped"), stride=2, dilation=2, groups=2)
    same = F.conv2d(F.pad(x, (0, 1, 1, 1)), v("w_same_upper"), stride=2)  # W: total 1 -> (0, 1); H: 2 -> (1, 1)
    dw = F.conv2d(x, v("w_depthwise"), v("b_depthwise"), padding=1, groups=4)
    return {"conv_grouped": grouped, "conv_same_upper_nobias": same, "conv_depthwise": dw}


def _torch_convtranspose(v):
    x = v("x")
    g1 = F.conv_transpose2d(x, v("w_g1"), v("b_g1"), stride=2, padding=1, output_padding=1)
    # Asymmetric pads [h_begin 1, w_begin 0, h_end 0, w_end 1]: no padding, then crop (output_padding
    # adds rows at the end before the end padding is cropped).
    full = F.conv_transpose2d(x, v("w_g2"), stride=(2, 1), groups=2, output_padding=(1, 0))
    g2 = full[:, :, 1:, :-1]
    return {"convtranspose_g1": g1, "convtranspose_g2": g2}


def _torch_pool(v):
    x = v("x")
    return {"maxpool_k3s2p1": F.max_pool2d(x, 3, 2, 1), "maxpool_ceil": F.max_pool2d(x, 3, 2, ceil_mode=True),
            "avgpool_exclude_pad": F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
            "avgpool_include_pad": F.avg_pool2d(F.pad(x, (0, 1, 1, 2)), 3, 2),
            "global_avgpool": F.adaptive_avg_pool2d(x, 1)}


def _torch_resize(v):
    x = v("x")
    return {"resize_nearest_asymmetric": F.interpolate(x, scale_factor=2, mode="nearest"),
            "resize_linear_half_pixel": F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=False),
            "resize_linear_align_corners": F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True),
            # The spec's length-1 rule samples row 0; torch would sample the centre, so resize row 0 alone.
            "resize_linear_pytorch_half_pixel": F.interpolate(x[:, :, :1], size=(1, 6), mode="bilinear",
                                                              align_corners=False)}


def _torch_pad(v):
    x = v("x")
    return {"pad_constant": F.pad(x, (2, 1, 1, 2), value=0.5), "pad_reflect": F.pad(x, (1, 3, 2, 1), mode="reflect"),
            "pad_edge": F.pad(x, (0, 2, 1, 0), mode="replicate")}


def _torch_activations(v):
    x = v("x")
    return {"hard_sigmoid": (0.25 * x + 0.4).clamp(0, 1), "hard_swish": F.hardswish(x),
            "leaky_relu": F.leaky_relu(x, 0.2), "clip_max_only": x.clamp(max=0.5)}


TORCH_CHECKS = {"op_conv": _torch_conv, "op_convtranspose": _torch_convtranspose, "op_pool": _torch_pool,
                "op_resize": _torch_resize, "op_pad": _torch_pad, "op_activations": _torch_activations}


def torch_check(g, outputs):
    if g.name not in TORCH_CHECKS:
        return ""
    values = dict(g.inputs)
    values.update({t.name: numpy_helper.to_array(t) for t in g.inits})
    with torch.no_grad():
        got = TORCH_CHECKS[g.name](lambda n: torch.from_numpy(np.array(values[n])))
    diff = max(float(np.abs(got[k].numpy() - outputs[k]).max()) for k in got)
    assert diff < 1e-4, (g.name, diff)
    return f"; |ORT - torch| {diff:.2e} on {len(got)} outputs"


# --------------------------------------------------------------------------------------------


def run_ort(model_bytes, inputs):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, inputs)))


def value_shapes(values):
    return [{"name": k, "shape": list(v.shape)} for k, v in values.items()]


def write(out_dir, name, model_bytes, inputs, outputs, notes):
    model = onnx.load_from_string(model_bytes)
    onnx.checker.check_model(model, full_check=True)
    with open(os.path.join(out_dir, f"{name}.onnx"), "wb") as f:
        f.write(model_bytes)
    io_file = None
    if outputs is not None:
        io_file = f"{name}.io.safetensors"
        tensors = {f"input.{k}": f32(v) for k, v in inputs.items()}
        tensors.update({f"output.{k}": f32(v) for k, v in outputs.items()})
        save_file(tensors, os.path.join(out_dir, io_file))
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    return {"name": name, "file": f"{name}.onnx", "io": io_file, "opset": opset, "ir_version": model.ir_version,
            "inputs": value_shapes(inputs), "outputs": value_shapes(outputs or {}),
            "op_types": sorted({n.op_type for n in model.graph.node}), "notes": notes}


def reference_check(model, inputs, outputs):
    """Largest |ORT - onnx.reference| over the outputs; outputs where the reference evaluator gives
    another shape are named (onnx 1.17's reference Conv computes auto_pad from the N and C dims
    instead of the spatial ones, so it is wrong for conv_same_upper_nobias; ORT agrees with onnx's
    shape inference, the spec and PyTorch there; its grouped ConvTranspose fails outright)."""
    try:
        ref = dict(zip(outputs, ReferenceEvaluator(model).run(None, inputs)))
    except Exception as e:  # noqa: BLE001 - the reference evaluator has bugs of its own
        return f"onnx.reference failed: {type(e).__name__}: {str(e).splitlines()[0][:80]}"
    diff, other = 0.0, []
    for k, v in outputs.items():
        if ref[k].shape != v.shape:
            other.append(f"{k} {list(ref[k].shape)}")
        else:
            diff = max(diff, float(np.abs(ref[k] - v).max()))
    return f"|ORT - onnx.reference| {diff:.2e}" + (f"; reference shape differs: {', '.join(other)}" if other else "")


def summary(entry, outputs, extra):
    shapes = ", ".join(f"{k}{list(v.shape)}" for k, v in outputs.items())
    peak = max(float(np.abs(v).max()) for v in outputs.values())
    print(f"{entry['name']}: opset {entry['opset']}, ops {','.join(entry['op_types'])}; outputs {shapes}; "
          f"max|out| {peak:.4g}; {extra}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--only", nargs="*", help="graph names to (re)write; the manifest keeps the others' entries")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    manifest_path = os.path.join(args.out, "manifest.json")
    old = {}
    if args.only and os.path.exists(manifest_path):
        old = {e["name"]: e for e in json.load(open(manifest_path))}
    wanted = (lambda n: n in args.only) if args.only else (lambda n: True)
    entries = []

    nets = network_fixtures() if any(wanted(n) for n in ("resnet18_tiny", "mobilenet_v2_tiny")) else []
    for fx in nets:
        if not wanted(fx["name"]):
            continue
        outputs = run_ort(fx["model_bytes"], fx["inputs"])
        with torch.no_grad():
            ref = fx["torch_model"](torch.from_numpy(fx["inputs"]["input"])).numpy()
        extra = f"|ORT - torch| {np.abs(outputs['logits'] - ref).max():.2e}"
        if fx.get("dynamic_batch"):
            one = run_ort(fx["model_bytes"], {"input": fx["inputs"]["input"][1:]})["logits"]
            extra += f", batch-1 run vs row 1 {np.abs(one - outputs['logits'][1:]).max():.2e}"
        entry = write(args.out, fx["name"], fx["model_bytes"], fx["inputs"], outputs, fx["notes"])
        entries.append(entry)
        summary(entry, outputs, extra)

    for make in OP_GRAPHS:
        if not wanted(make.__name__):
            continue
        g = make()
        # First build without output shapes, run ORT, then declare the shapes ORT produced (the
        # declared shapes are checked against onnx's shape inference).
        outputs = run_ort(g.model().SerializeToString(), g.inputs)
        model = g.model({k: v.shape for k, v in outputs.items()})
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True, data_prop=True)
        for vi in inferred.graph.output:
            dims = [d.dim_value if d.HasField("dim_value") else None for d in vi.type.tensor_type.shape.dim]
            assert dims == list(outputs[vi.name].shape), (g.name, vi.name, dims, outputs[vi.name].shape)
        model_bytes = model.SerializeToString()
        entry = write(args.out, g.name, model_bytes, g.inputs, outputs, g.notes)
        entries.append(entry)
        summary(entry, outputs, reference_check(model, g.inputs, outputs) + torch_check(g, outputs))

    if old:
        done = {e["name"] for e in entries}
        entries += [e for n, e in old.items() if n not in done]
    order = ["resnet18_tiny", "mobilenet_v2_tiny"] + [m.__name__ for m in OP_GRAPHS]
    entries.sort(key=lambda e: order.index(e["name"]) if e["name"] in order else len(order))
    with open(manifest_path, "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(args.out, p)) for p in os.listdir(args.out))
    print(f"wrote {len(entries)} manifest entries to {os.path.relpath(args.out, REPO)} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    sys.exit(main())
