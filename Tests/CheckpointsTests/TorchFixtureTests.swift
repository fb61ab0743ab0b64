import Foundation
import XCTest
import Checkpoints

/// Files written by real `torch.save`, compared bit-for-bit with what torch itself loads.
final class TorchFixtureTests: XCTestCase {
    func testZipFormatAllTypesAndLayouts() throws {
        let dict = try CheckpointReader.read(Fixtures.url("mixed_zip.pt"))
        assertMatches(dict, try Fixtures.expected("mixed_zip.pt"))
    }

    func testLegacyFormatAllTypesAndLayouts() throws {
        let dict = try CheckpointReader.read(Fixtures.url("mixed_legacy.pt"))
        assertMatches(dict, try Fixtures.expected("mixed_legacy.pt"))
    }

    func testPickleProtocol5() throws {
        for file in ["mixed_zip_p5.pt", "mixed_legacy_p5.pt"] {
            assertMatches(try CheckpointReader.read(Fixtures.url(file)), try Fixtures.expected(file))
        }
    }

    func testViewsAreGatheredContiguously() throws {
        // Spelled out so a failure here reads clearly, independent of the JSON.
        for file in ["mixed_zip.pt", "mixed_legacy.pt"] {
            let dict = try CheckpointReader.read(Fixtures.url(file))
            XCTAssertEqual(dict["transposed"]?.shape, [4, 3])
            XCTAssertEqual(dict["transposed"]?.values, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
            XCTAssertEqual(dict["slice"]?.values, [2.5, 3, 3.5, 4, 4.5, 5])
            XCTAssertEqual(dict["stepped"]?.values, [0.5, 2, 3.5, 5, 6.5, 8, 9.5])
            XCTAssertEqual(dict["shared_a"]?.values, [-3, -2, -1, 0])
            XCTAssertEqual(dict["shared_b"]?.values, [1, 2, 3, 4])
            XCTAssertEqual(dict["bn.num_batches_tracked"]?.shape, [])
            XCTAssertEqual(dict["bn.num_batches_tracked"]?.values, [12345])
            XCTAssertEqual(dict["empty"]?.shape, [0, 3])
            XCTAssertEqual(dict["empty"]?.values, [])
        }
    }

    func testWrapperIsUnwrappedAndModulePrefixStripped() throws {
        for file in ["wrapped_zip.pt", "wrapped_legacy.pt"] {
            let dict = try CheckpointReader.read(Fixtures.url(file))
            assertMatches(dict, try Fixtures.expected(file))
            XCTAssertEqual(dict.names, ["a.weight", "a.bias", "bn.num_batches_tracked"])
        }
    }

    func testSafetensorsFixture() throws {
        let url = Fixtures.url("small.safetensors")
        assertMatches(try CheckpointReader.read(url), try Fixtures.expected("small.safetensors"))
        XCTAssertEqual(try SafetensorsReader.readMetadata(url), try Fixtures.expectedMetadata("small.safetensors"))
    }
}
