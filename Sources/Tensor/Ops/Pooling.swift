import Foundation
import CDNNL

/// Pooling over channels-last activations.
public enum Pooling {
    private static let plans = PrimitiveCache<(Primitive, dnnl_memory_desc_t, dnnl_memory_desc_t, [Int])>()

    /// Max pooling with a square window (PyTorch `MaxPool2d(kernel, stride, padding)`), NHWC.
    /// Padding never wins the max, as in PyTorch.
    public static func max2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * padding - kernel) / stride + 1
        let ow = (w + 2 * padding - kernel) / stride + 1
        let (prim, src, dst, outShape) = plans.get("max\(x.shape)k\(kernel)s\(stride)p\(padding)") {
            var src = DNNL.md([n, c, h, w], dnnl_nhwc)
            var dst = DNNL.md([n, c, oh, ow], dnnl_nhwc)
            var desc = dnnl_pooling_v2_desc_t()
            let pad = DNNL.dims([padding, padding])
            DNNL.check(dnnl_pooling_v2_forward_desc_init(&desc, dnnl_forward_inference, dnnl_pooling_max, &src, &dst,
                                                         DNNL.dims([stride, stride]), DNNL.dims([kernel, kernel]),
                                                         DNNL.dims([0, 0]), pad, pad), "maxpool desc")
            return (Primitive(&desc, name: "maxpool"), src, dst, [n, oh, ow, c])
        }
        let out = Tensor(uninitializedShape: outShape)
        prim.execute([
            (DNNL.argSrc, src, UnsafeMutableRawPointer(x.data)),
            (DNNL.argDst, dst, UnsafeMutableRawPointer(out.data)),
        ])
        return out
    }

    /// Mean over the spatial positions of `[N, H, W, C]` (or tokens of `[N, T, C]`): `[N, C]`.
    public static func globalAverage(_ x: Tensor) -> Tensor {
        let n = x.shape[0], c = x.shape.last!
        let positions = x.count / (n * c)
        let out = Tensor(zeros: [n, c])
        let scale = 1 / Float(positions)
        parallelFor(n) { range in
            for b in range {
                let dst = out.data + b * c
                let src = x.data + b * positions * c
                for p in 0..<positions {
                    let row = src + p * c
                    for j in 0..<c { dst[j] += row[j] }
                }
                for j in 0..<c { dst[j] *= scale }
            }
        }
        return out
    }
}
