import XCTest
import Checkpoints

final class HalfPrecisionTests: XCTestCase {
    func testEveryHalfSurvivesARoundTrip() {
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(fromHalf: bits)
            if value.isNaN {
                XCTAssertTrue(HalfPrecision.float(fromHalf: HalfPrecision.half(from: value)).isNaN)
            } else {
                XCTAssertEqual(HalfPrecision.half(from: value), bits, "half 0x\(String(bits, radix: 16))")
            }
        }
    }

    func testHalfDecodingOfSpecialValues() {
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x0001), 0x1p-24)  // smallest subnormal
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x03ff), 1023 * 0x1p-24)  // largest subnormal
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x0400), 0x1p-14)
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x7bff), 65504)
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x8000).bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0x7c00), .infinity)
        XCTAssertEqual(HalfPrecision.float(fromHalf: 0xfc00), -.infinity)
        XCTAssertTrue(HalfPrecision.float(fromHalf: 0x7e00).isNaN)
    }

    func testHalfEncodingRoundsToNearestEven() {
        XCTAssertEqual(HalfPrecision.half(from: 1 + 0x1p-11), 0x3c00)  // tie, even stays down
        XCTAssertEqual(HalfPrecision.half(from: 1 + 3 * 0x1p-11), 0x3c02)  // tie, odd goes up
        XCTAssertEqual(HalfPrecision.half(from: 1 + 0x1p-11 + 0x1p-20), 0x3c01)  // above tie
        XCTAssertEqual(HalfPrecision.half(from: 65519), 0x7bff)
        XCTAssertEqual(HalfPrecision.half(from: 65520), 0x7c00)  // rounds to inf
        XCTAssertEqual(HalfPrecision.half(from: 1e9), 0x7c00)
        XCTAssertEqual(HalfPrecision.half(from: -1e9), 0xfc00)
        XCTAssertEqual(HalfPrecision.half(from: 0x1p-25), 0x0000)  // tie between 0 and smallest subnormal
        XCTAssertEqual(HalfPrecision.half(from: 0x1p-25 * 1.5), 0x0001)
        XCTAssertEqual(HalfPrecision.half(from: 3 * 0x1p-25), 0x0002)  // tie, odd 1 goes to 2
        XCTAssertEqual(HalfPrecision.half(from: 0x1p-14 - 0x1p-26), 0x0400)  // rounds up into normals
        XCTAssertEqual(HalfPrecision.half(from: -0.0), 0x8000)
        XCTAssertEqual(HalfPrecision.half(from: 1e-30), 0x0000)
        XCTAssertEqual(HalfPrecision.half(from: .nan) & 0x7e00, 0x7e00)
        XCTAssertEqual(HalfPrecision.half(from: Float(bitPattern: 0x7f80_0001)) & 0x7c00, 0x7c00)  // signalling NaN stays NaN
        XCTAssertNotEqual(HalfPrecision.half(from: Float(bitPattern: 0x7f80_0001)), 0x7c00)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Swift's own Float16 conversion is correctly rounded; agree with it on many floats.
    func testHalfEncodingAgreesWithFloat16() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<200_000 {
            let f = Float(bitPattern: UInt32.random(in: 0x2000_0000...0x4800_0000, using: &generator) | (generator.next() & 1 == 0 ? 0 : 0x8000_0000))
            XCTAssertEqual(HalfPrecision.half(from: f), Float16(f).bitPattern, "\(f)")
        }
    }
    #endif

    func testBFloat16() {
        XCTAssertEqual(HalfPrecision.float(fromBFloat16: 0x3f80), 1)
        XCTAssertEqual(HalfPrecision.float(fromBFloat16: 0x0001), Float(bitPattern: 0x0001_0000))  // subnormal
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1 + 0x1p-8), 0x3f80)  // tie, even stays
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1 + 3 * 0x1p-8), 0x3f82)  // tie, odd up
        XCTAssertEqual(HalfPrecision.bfloat16(from: .greatestFiniteMagnitude), 0x7f80)  // rounds to inf
        XCTAssertEqual(HalfPrecision.bfloat16(from: -.infinity), 0xff80)
        XCTAssertTrue(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: Float(bitPattern: 0x7f80_0001))).isNaN)
        for bits in 0...UInt16.max where !HalfPrecision.float(fromBFloat16: bits).isNaN {
            XCTAssertEqual(HalfPrecision.bfloat16(from: HalfPrecision.float(fromBFloat16: bits)), bits)
        }
    }
}
