import Foundation
import XCTest
@testable import Imaging

/// The whole eval transform against the numpy + PIL re-statement of
/// torchvision's Resize -> CenterCrop -> ToTensor -> Normalize.
final class PipelineTests: XCTestCase {
    func testNormalizationTablesMatchNumpy() throws {
        // numpy's float32 (v / 255 - mean) / std for every byte value; the
        // script checked those against torch's ops bit for bit.
        for c in Fixtures.index.normalize {
            let want = try Fixtures.floats(c.expected)
            let p = Fixtures.preset(c.preset)
            let ramp = RGBImage(width: 256, height: 1, pixels: (0..<256).flatMap { [UInt8($0), UInt8($0), UInt8($0)] })
            let got = Preprocess.normalizedCHW(ramp, mean: p.mean, std: p.std)
            XCTAssertEqual(got, want, "normalisation table \(c.preset)")
        }
    }

    func testPipelineMatches() throws {
        for c in Fixtures.index.pipeline {
            let src = try ImageDecoder.decode(contentsOf: Fixtures.url(c.source))
            let pre = Preprocess(size: c.size, crop: c.crop, mean: Fixtures.preset(c.preset).mean,
                                 std: Fixtures.preset(c.preset).std)
            let label = "\(c.source) \(c.preset) \(c.size)/\(c.crop)"
            let got = try pre.apply(src)
            XCTAssertEqual(got.count, 3 * c.crop * c.crop, label)
            let want: [Float]
            if let tensor = c.tensor {
                want = try Fixtures.floats(tensor)
            } else {
                // Expected geometry from Pillow, turned into the tensor with
                // numpy's normalisation table (verified above).
                let geo = try Fixtures.expectedImage(c.geometry!, width: c.crop, height: c.crop)
                XCTAssertSameImage(try pre.geometry(src), geo, label)
                let table = try Fixtures.floats("normalize_\(c.preset).f32")
                let plane = c.crop * c.crop
                want = (0..<3 * plane).map { i in
                    let ch = i / plane
                    return table[ch * 256 + Int(geo.pixels[(i % plane) * 3 + ch])]
                }
            }
            let diff = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, 1e-6, "\(label): max abs diff \(diff)")
            XCTAssertEqual(diff, 0, "\(label): expected bit-identical floats")
        }
    }

    func testHWCIsTransposeOfCHW() throws {
        let src = try ImageDecoder.decode(contentsOf: Fixtures.url("jpeg_progressive_123x77.jpg"))
        let pre = Preprocess.half.withCrop(50)
        let chw = try pre.apply(src)
        var hwc = [Float](repeating: .nan, count: chw.count)
        try hwc.withUnsafeMutableBufferPointer { try pre.applyHWC(src, into: $0.baseAddress!) }
        let plane = 50 * 50
        for i in 0..<plane { for c in 0..<3 { XCTAssertEqual(hwc[i * 3 + c], chw[c * plane + i]) } }
    }
}
