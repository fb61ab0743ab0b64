import XCTest
@testable import MIQAVideo

/// Sampling indices and per-second aggregation against values worked out by hand from the
/// original's formulas.
final class SamplingTests: XCTestCase {
    func testUniformSamplingMatchesTheOriginal() {
        XCTAssertEqual(FrameSampling.uniform(total: 10, count: 50), Array(0..<10))
        XCTAssertEqual(FrameSampling.uniform(total: 50, count: 50), Array(0..<50))
        XCTAssertEqual(FrameSampling.uniform(total: 100, count: 4), [0, 25, 50, 75])
        // step 7/3 = 2.333..: int(0), int(2.33), int(4.67)
        XCTAssertEqual(FrameSampling.uniform(total: 7, count: 3), [0, 2, 4])
        XCTAssertEqual(FrameSampling.uniform(total: 0, count: 5), [])
        // 250 frames, 50 samples: every 5th.
        XCTAssertEqual(FrameSampling.uniform(total: 250, count: 50), Array(stride(from: 0, to: 250, by: 5)))
        XCTAssertEqual(FrameSampling.strided(total: 7, every: 3), [0, 3, 6])
    }

    func testPerSecondAggregation() {
        let frames = [(0, 0.0, 0.2), (1, 0.5, 0.4), (2, 0.99, 0.9), (3, 1.0, 0.5), (4, 2.5, 0.1)].map {
            FrameScore(frameIndex: $0.0, timestamp: $0.1, score: $0.2)
        }
        let seconds = SecondAggregation.perSecond(frames)
        XCTAssertEqual(seconds.map(\.second), [0, 1, 2])
        XCTAssertEqual(seconds[0].mean, 0.5, accuracy: 1e-12)
        XCTAssertEqual(seconds[0].min, 0.2)
        XCTAssertEqual(seconds[0].max, 0.9)
        XCTAssertEqual(seconds[0].frameCount, 3)
        // population std of 0.2, 0.4, 0.9 around 0.5: sqrt((0.09 + 0.01 + 0.16) / 3)
        XCTAssertEqual(seconds[0].std, (0.26 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(seconds[1].std, 0)
        let summary = SecondAggregation.summary(seconds)!
        XCTAssertEqual(summary.average, (0.5 + 0.5 + 0.1) / 3, accuracy: 1e-12)
        XCTAssertEqual(summary.min, 0.1)
        XCTAssertEqual(summary.max, 0.5)
        XCTAssertNil(SecondAggregation.summary([]))
    }

    func testOrderedJSON() {
        let v = JSONValue.object([("b", .int(1)), ("a", .array([.number(0.5), .null, .string("x\"y")]))])
        XCTAssertEqual(v.rendered(indent: nil), "{\"b\": 1, \"a\": [0.5, null, \"x\\\"y\"]}")
        XCTAssertEqual(JSONValue.number(.nan).rendered(), "null")
    }
}
