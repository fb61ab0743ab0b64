import Foundation
import XCTest
@testable import Imaging

/// Timings of the per-image hot path. They print (best of N) rather than
/// assert tight limits, since other builds share the machine; the limits
/// below only catch order-of-magnitude regressions.
final class PerformanceTests: XCTestCase {
    private func best(_ runs: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return best
    }

    func testHotPathSpeed() throws {
        let jpeg = try Fixtures.data("jpeg_baseline_400x300.jpg")
        let photo = try ImageDecoder.decode(data: jpeg, name: "p.jpg")
        let img500 = Resampling.resizeBilinear(photo, width: 500, height: 375)  // real content at the target size
        var sink = 0
        let decodeMs = best(30) { sink &+= Int(try! ImageDecoder.decode(data: jpeg, name: "p.jpg").pixels[0]) }
        let resizeMs = best(30) { sink &+= Int(Resampling.resizeShorterSide(img500, to: 288).pixels[0]) }
        let pipelineMs = best(30) { sink &+= Preprocess.imagenet.apply(img500).count }
        print(String(format: "perf: decode 400x300 JPEG %.3f ms; resize 500x375 -> 384x288 %.3f ms; full 224 pipeline %.3f ms (%d)",
                     decodeMs, resizeMs, pipelineMs, sink & 1))
        XCTAssertLessThan(resizeMs, 50)
        XCTAssertLessThan(decodeMs, 50)
    }
}
