import XCTest
@testable import Tensor

/// The oneDNN-backed kernels against the plain reference implementations.
final class KernelTests: XCTestCase {
    func testConvolutionMatchesReferenceAcrossShapes() {
        // (c, o, k, stride, pad, dilation, groups): plain, strided, depthwise, dilated, asymmetric.
        let cases: [(Int, Int, Int, Int, (Int, Int, Int, Int), Int, Int)] = [
            (3, 8, 3, 1, (1, 1, 1, 1), 1, 1),
            (4, 6, 7, 2, (3, 3, 3, 3), 1, 1),
            (8, 8, 5, 2, (1, 1, 2, 2), 1, 8),
            (6, 4, 3, 1, (2, 2, 2, 2), 2, 2),
            (5, 7, 1, 1, (0, 0, 0, 0), 1, 1),
        ]
        for (i, (c, o, k, s, pad, d, g)) in cases.enumerated() {
            let (n, h, w) = (2, 11, 9)
            let x = Reference.random(n * h * w * c, seed: UInt64(i + 1))
            let wt = Reference.random(o * (c / g) * k * k, seed: UInt64(i + 100))
            let b = Reference.random(o, seed: UInt64(i + 200))
            let (want, oh, ow) = Reference.conv(x, n: n, h: h, w: w, c: c, weight: wt, o: o, kh: k, kw: k, stride: s,
                                                pad: pad, dilation: d, groups: g, bias: b)
            let kernel = Conv2dKernel(weight: Tensor(shape: [o, c / g, k, k], values: wt), bias: Tensor(shape: [o], values: b),
                                      stride: (s, s), padding: .explicit(top: pad.0, left: pad.1, bottom: pad.2, right: pad.3),
                                      dilation: (d, d), groups: g)
            let got = kernel(Tensor(shape: [n, h, w, c], values: x))
            XCTAssertEqual(got.shape, [n, oh, ow, o], "case \(i)")
            XCTAssertLessThan(Reference.maxAbsDiff(got.values, want), 1e-4, "case \(i)")
        }
    }

    func testSamePaddingPutsTheOddPixelBottomRight() {
        // TF "same" on 8x8 with k=3, s=2: total padding 1, all of it after.
        let kernel = Conv2dKernel(weight: Tensor(shape: [1, 1, 3, 3], values: [Float](repeating: 1, count: 9)),
                                  bias: nil, stride: (2, 2), padding: .same)
        let x = Tensor(shape: [1, 8, 8, 1], values: (0..<64).map(Float.init))
        let got = kernel(x)
        let (want, _, _) = Reference.conv(x.values, n: 1, h: 8, w: 8, c: 1, weight: [Float](repeating: 1, count: 9), o: 1,
                                          kh: 3, kw: 3, stride: 2, pad: (0, 0, 1, 1), dilation: 1, groups: 1, bias: nil)
        XCTAssertEqual(got.shape, [1, 4, 4, 1])
        XCTAssertEqual(got.values, want)
    }

    func testFusedResidualAndActivation() {
        let (c, o) = (4, 4)
        let x = Reference.random(1 * 5 * 5 * c, seed: 7), wt = Reference.random(o * c * 9, seed: 8)
        let residual = Reference.random(1 * 5 * 5 * o, seed: 9)
        let (conv, _, _) = Reference.conv(x, n: 1, h: 5, w: 5, c: c, weight: wt, o: o, kh: 3, kw: 3, stride: 1,
                                          pad: (1, 1, 1, 1), dilation: 1, groups: 1, bias: nil)
        let want = zip(conv, residual).map { max(0, $0 + $1) }
        let kernel = Conv2dKernel(weight: Tensor(shape: [o, c, 3, 3], values: wt), bias: nil, padding: .symmetric(1),
                                  postOps: [.accumulate, .relu])
        let acc = Tensor(shape: [1, 5, 5, o], values: residual)
        let got = kernel(Tensor(shape: [1, 5, 5, c], values: x), accumulate: acc)
        XCTAssertTrue(got === acc)
        XCTAssertLessThan(Reference.maxAbsDiff(got.values, want), 1e-5)
    }

    func testLinearWithGELU() {
        let (rows, inF, out) = (13, 24, 40)
        let x = Reference.random(rows * inF, seed: 3), wt = Reference.random(out * inF, seed: 4), b = Reference.random(out, seed: 5)
        let lin = Reference.linear(x, rows: rows, weight: wt, out: out, inF: inF, bias: b)
        let want = lin.map { v in 0.5 * v * (1 + Float(erf(Double(v) / 2.0.squareRoot()))) }
        let k = LinearKernel(weight: Tensor(shape: [out, inF], values: wt), bias: Tensor(shape: [out], values: b), postOps: [.gelu])
        let got = k(Tensor(shape: [rows, inF], values: x))
        XCTAssertEqual(got.shape, [rows, out])
        XCTAssertLessThan(Reference.maxAbsDiff(got.values, want), 1e-5)
    }

    func testAttentionMatchesNaive() {
        let (b, n, heads, hd) = (2, 7, 3, 4)
        let d = heads * hd
        let qkv = Reference.random(b * n * 3 * d, seed: 11)
        var want = [Float](repeating: 0, count: b * n * d)
        for bb in 0..<b { for h in 0..<heads { for i in 0..<n {
            var s = [Double](repeating: 0, count: n)
            for j in 0..<n {
                var dot = 0.0
                for e in 0..<hd {
                    dot += Double(qkv[(bb * n + i) * 3 * d + h * hd + e]) * Double(qkv[(bb * n + j) * 3 * d + d + h * hd + e])
                }
                s[j] = dot / Double(hd).squareRoot()
            }
            let m = s.max()!
            let e = s.map { exp($0 - m) }, z = e.reduce(0, +)
            for k in 0..<hd {
                var acc = 0.0
                for j in 0..<n { acc += e[j] / z * Double(qkv[(bb * n + j) * 3 * d + 2 * d + h * hd + k]) }
                want[(bb * n + i) * d + h * hd + k] = Float(acc)
            }
        } } }
        let got = AttentionKernel(heads: heads)(Tensor(shape: [b, n, 3 * d], values: qkv))
        XCTAssertEqual(got.shape, [b, n, d])
        XCTAssertLessThan(Reference.maxAbsDiff(got.values, want), 1e-5)
    }

    func testLayerNormAndPooling() {
        let (rows, c) = (5, 16)
        let x = Reference.random(rows * c, seed: 21), g = Reference.random(c, seed: 22), be = Reference.random(c, seed: 23)
        var want = [Float]()
        for r in 0..<rows {
            let row = x[(r * c)..<((r + 1) * c)].map(Double.init)
            let mean = row.reduce(0, +) / Double(c)
            let v = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(c)
            for j in 0..<c { want.append(Float((row[j] - mean) / (v + 1e-6).squareRoot() * Double(g[j]) + Double(be[j]))) }
        }
        let ln = LayerNormKernel(weight: Tensor(shape: [c], values: g), bias: Tensor(shape: [c], values: be), eps: 1e-6)
        XCTAssertLessThan(Reference.maxAbsDiff(ln(Tensor(shape: [rows, c], values: x)).values, want), 1e-5)

        // 3x3/2 max pool with padding 1 on a 5x5 ramp: corners see only real pixels.
        let img = Tensor(shape: [1, 5, 5, 1], values: (0..<25).map(Float.init))
        let pooled = Pooling.max2d(img, kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(pooled.shape, [1, 3, 3, 1])
        XCTAssertEqual(pooled.values, [6, 8, 9, 16, 18, 19, 21, 23, 24])
        XCTAssertEqual(Pooling.globalAverage(img).values, [12])
    }

    func testBicubicIdentityAndKnownValues() {
        // Same size is the identity; upsampling a constant stays constant.
        let x = Tensor(shape: [3, 3, 2], values: Reference.random(18, seed: 5))
        XCTAssertLessThan(Reference.maxAbsDiff(Interpolate.bicubic(x, toHeight: 3, width: 3).values, x.values), 1e-5)
        let ones = Tensor(shape: [2, 2, 1], values: [1, 1, 1, 1])
        XCTAssertLessThan(Reference.maxAbsDiff(Interpolate.bicubic(ones, toHeight: 5, width: 5).values, [Float](repeating: 1, count: 25)), 1e-5)
    }
}
