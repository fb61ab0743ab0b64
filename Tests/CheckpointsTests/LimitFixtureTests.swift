import Foundation
import XCTest
@testable import Checkpoints

/// Real torch.save files at the edges of the readers' limits (made by
/// tools/checkpoints/make_hostile_fixtures.py): what is legitimate still loads
/// with torch's values, what lies about its sizes is refused.
final class LimitFixtureTests: XCTestCase {
    private struct Expected: Decodable {
        let name: String
        let shape: [Int]
        let bits: [UInt32]
    }

    private func expected(_ file: String) throws -> [Expected] {
        let all = try JSONDecoder().decode([String: [Expected]].self, from: Data(contentsOf: Fixtures.url("limits/expected.json")))
        return try XCTUnwrap(all[file])
    }

    private func assertLoads(_ file: String) throws -> CheckpointContents {
        let contents = try CheckpointReader.readContents(Fixtures.url("limits/\(file)"))
        let want = try expected(file)
        XCTAssertEqual(contents.tensors.names, want.map(\.name))
        for tensor in want {
            XCTAssertEqual(contents.tensors[tensor.name]?.shape, tensor.shape, tensor.name)
            XCTAssertEqual(contents.tensors[tensor.name]?.values.map(\.bitPattern), tensor.bits, tensor.name)
        }
        return contents
    }

    /// Stride-0 and transposed views within their storage load as torch reads them.
    func testExpandedAndTransposedViewsLoad() throws {
        XCTAssertEqual(try assertLoads("expanded_ok.pt").ignoredGlobals, [])
    }

    /// Training extras are not weights; the globals they need are named, not dropped silently.
    func testUninterpretedGlobalsAreReportedNextToTheWeights() throws {
        let contents = try assertLoads("extras_globals.pt")
        XCTAssertEqual(contents.ignoredGlobals, ["argparse.Namespace", "numpy._core.multiarray.scalar", "numpy.dtype"])
    }

    func testZipEntryClaimingMoreThanTheFileIsRefusedBeforeReading() throws {
        let url = Fixtures.url("limits/zip_size_lie.pt")
        XCTAssertThrowsError(try CheckpointReader.read(url)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("\(url.path): file is truncated: zip entry 'zip_size_lie/data/0' declares 2147483648 bytes at offset "), message)
            XCTAssertTrue(message.hasSuffix(" of a 1612-byte file"), message)
        }
    }

    func testBudgetScalesWithTheFile() {
        XCTAssertEqual(ExpansionBudget(fileSize: 0).limit, 256 << 20)
        XCTAssertEqual(ExpansionBudget(fileSize: 100_000_000).limit, 800_000_000 + 256 << 20)
        XCTAssertEqual(ExpansionBudget(fileSize: Int.max).limit, Int.max)
    }
}
