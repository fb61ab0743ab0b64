import Foundation
import CDNNL

/// Pooling over channels-last activations.
public enum Pooling {
    private static let plans = PrimitiveCache<(Primitive, dnnl_memory_desc_t, dnnl_memory_desc_t, [Int])>()

    /// Max pooling with a square window (PyTorch `MaxPool2d(kernel, stride, padding)`), NHWC.
    /// Padding never wins the max, as in PyTorch.
    public static func max2d(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Tensor {
        max2d(x, kernel: kernel, stride: stride, before: padding, after: padding)
    }

    /// Max pooling with `before` rows/columns of padding at the top/left and `after` at the
    /// bottom/right (Darknet's `maxpool`, whose padding sits mostly after the image). Padding
    /// never wins the max. Output size: `(h + before + after - kernel) / stride + 1`.
    public static func max2d(_ x: Tensor, kernel: Int, stride: Int, before: Int, after: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + before + after - kernel) / stride + 1
        let ow = (w + before + after - kernel) / stride + 1
        let (prim, src, dst, outShape) = plans.get("max\(x.shape)k\(kernel)s\(stride)p\(before),\(after)") {
            var src = DNNL.md([n, c, h, w], dnnl_nhwc)
            var dst = DNNL.md([n, c, oh, ow], dnnl_nhwc)
            var desc = dnnl_pooling_v2_desc_t()
            DNNL.check(dnnl_pooling_v2_forward_desc_init(&desc, dnnl_forward_inference, dnnl_pooling_max, &src, &dst,
                                                         DNNL.dims([stride, stride]), DNNL.dims([kernel, kernel]),
                                                         DNNL.dims([0, 0]), DNNL.dims([before, before]), DNNL.dims([after, after])),
                       "maxpool desc")
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

extension Pooling {
    /// Max pooling for training: the output and, per output element, the flat input index that
    /// won (first maximum in window order, as PyTorch), for the backward pass.
    public static func max2dTraining(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> (y: Tensor, argmax: [Int32]) {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * padding - kernel) / stride + 1
        let ow = (w + 2 * padding - kernel) / stride + 1
        let y = Tensor(uninitializedShape: [n, oh, ow, c])
        var argmax = [Int32](repeating: 0, count: y.count)
        argmax.withUnsafeMutableBufferPointer { am in
            let am = am.baseAddress!
            parallelFor(n * oh) { range in
                for row in range {
                    let b = row / oh, oy = row % oh
                    for ox in 0..<ow {
                        let o = ((b * oh + oy) * ow + ox) * c
                        for ch in 0..<c { y.data[o + ch] = -.infinity; am[o + ch] = -1 }
                        for ky in 0..<kernel {
                            let iy = oy * stride - padding + ky
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<kernel {
                                let ix = ox * stride - padding + kx
                                if ix < 0 || ix >= w { continue }
                                let i = ((b * h + iy) * w + ix) * c
                                for ch in 0..<c where x.data[i + ch] > y.data[o + ch] || am[o + ch] < 0 {
                                    y.data[o + ch] = x.data[i + ch]
                                    am[o + ch] = Int32(i + ch)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (y, argmax)
    }

    /// Backward of `max2dTraining`: each output gradient goes to the input element that won.
    public static func max2dBackward(_ dy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        let dx = Tensor(zeros: inputShape)
        let n = inputShape[0], per = dy.count / n
        // Images never share input elements, so splitting by image needs no atomics.
        argmax.withUnsafeBufferPointer { am in
            parallelFor(n) { range in
                for b in range {
                    for i in (b * per)..<((b + 1) * per) { dx.data[Int(am[i])] += dy.data[i] }
                }
            }
        }
        return dx
    }

    /// Backward of `globalAverage`: every position receives `dy[n, c] / positions`.
    public static func globalAverageBackward(_ dy: Tensor, inputShape: [Int]) -> Tensor {
        let n = inputShape[0], c = inputShape.last!
        let dx = Tensor(uninitializedShape: inputShape)
        let positions = dx.count / (n * c)
        let scale = 1 / Float(positions)
        parallelFor(n * positions, minimumPerThread: 64) { range in
            for i in range {
                let b = i / positions
                let dst = dx.data + i * c, src = dy.data + b * c
                for j in 0..<c { dst[j] = src[j] * scale }
            }
        }
        return dx
    }
}
