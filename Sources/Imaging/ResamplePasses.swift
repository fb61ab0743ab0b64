/// The two 1-D convolution passes of Pillow's 8-bit resampler, in integer
/// fixed point. Sums are Int32 like Pillow's `int`: with at most 2^22 total
/// weight, 255 * weight plus the rounding bias stays below 2^31.
enum ResamplePasses {
    /// Rounding bias: half of one output unit in fixed point.
    private static let bias: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)

    /// Fixed point back to a byte: floor via arithmetic shift, then clamp.
    @inline(__always) static func clip8(_ v: Int32) -> UInt8 {
        let s = v >> ResampleCoefficients.precisionBits
        return UInt8(truncatingIfNeeded: s < 0 ? 0 : (s > 255 ? 255 : s))
    }

    /// Resamples every row in `rows` of `img` along x. The result has
    /// `rows.count` rows; row 0 corresponds to source row `rows.lowerBound`.
    ///
    /// Each source row is first widened to one `SIMD4<Int32>` per pixel
    /// (R, G, B, 0) so a tap is a single vector multiply-add for all three
    /// channels; the per-channel integer sums are exactly Pillow's.
    static func horizontal(_ img: RGBImage, rows: Range<Int>, coefficients c: ResampleCoefficients) -> RGBImage {
        let outW = c.first.count
        let inW = img.width
        var out = [UInt8](repeating: 0, count: outW * rows.count * 3)
        var wide = [SIMD4<Int32>](repeating: .zero, count: inW)
        img.pixels.withUnsafeBufferPointer { srcBuf in
            out.withUnsafeMutableBufferPointer { dstBuf in
                wide.withUnsafeMutableBufferPointer { wideBuf in
                    c.weights.withUnsafeBufferPointer { wBuf in
                        c.first.withUnsafeBufferPointer { firstBuf in
                          c.count.withUnsafeBufferPointer { countBuf in
                            let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                            let w = wBuf.baseAddress!, px = wideBuf.baseAddress!
                            let start = SIMD4<Int32>(repeating: bias)
                            let taps = c.tapCount
                            // The loop runs over each window's real length only:
                            // timing showed this beats padding to the fixed tap count.
                            // Index arithmetic wraps (&*, &+): every product here is bounded
                            // by a buffer size already allocated, and the overflow checks
                            // cost ~10% of the resize without -Ounchecked (docs/benchmarks.md).
                            for (r, y) in rows.enumerated() {
                                let row = src + y &* inW &* 3
                                // 4-byte loads: lane 3 picks up the next pixel's red,
                                // which only feeds the unused 4th sum.
                                for x in 0..<inW - 1 {
                                    let v = UnsafeRawPointer(row + x &* 3).loadUnaligned(as: SIMD4<UInt8>.self)
                                    px[x] = SIMD4<Int32>(truncatingIfNeeded: v)
                                }
                                let last = row + (inW &- 1) &* 3
                                px[inW - 1] = SIMD4(Int32(last[0]), Int32(last[1]), Int32(last[2]), 0)
                                let outRow = dst + r &* outW &* 3
                                for xx in 0..<outW {
                                    let k = w + xx &* taps
                                    let p = px + firstBuf[xx]
                                    var s = start
                                    var t = 0
                                    let n = countBuf[xx]
                                    while t < n { s &+= p[t] &* SIMD4(repeating: k[t]); t &+= 1 }
                                    let o = outRow + xx &* 3
                                    o[0] = clip8(s[0])
                                    o[1] = clip8(s[1])
                                    o[2] = clip8(s[2])
                                }
                            }
                          }
                        }
                    }
                }
            }
        }
        return RGBImage(width: outW, height: rows.count, pixels: out)
    }

    /// Resamples along y. `rowOffset` is the source row that row 0 of `img`
    /// stands for (non-zero when the horizontal pass skipped unused rows).
    /// Each output row is a weighted sum of whole input rows, so the inner
    /// loop runs over contiguous bytes and vectorises; integer addition is
    /// associative, so the changed summation order cannot change a value.
    static func vertical(_ img: RGBImage, rowOffset: Int, coefficients c: ResampleCoefficients) -> RGBImage {
        let outH = c.first.count
        let rowLen = img.width * 3
        var out = [UInt8](repeating: 0, count: rowLen * outH)
        var acc = [Int32](repeating: 0, count: rowLen)
        img.pixels.withUnsafeBufferPointer { srcBuf in
            out.withUnsafeMutableBufferPointer { dstBuf in
                acc.withUnsafeMutableBufferPointer { accBuf in
                    let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!, a = accBuf.baseAddress!
                    for yy in 0..<outH {
                        for i in 0..<rowLen { a[i] = bias }
                        let k = yy * c.tapCount
                        let first = c.first[yy] - rowOffset
                        for t in 0..<c.count[yy] {
                            let kt = c.weights[k + t]
                            let row = src + (first + t) * rowLen
                            for i in 0..<rowLen { a[i] &+= Int32(row[i]) &* kt }
                        }
                        let outRow = dst + yy * rowLen
                        for i in 0..<rowLen { outRow[i] = clip8(a[i]) }
                    }
                }
            }
        }
        return RGBImage(width: img.width, height: outH, pixels: out)
    }
}
