import XCTest
@testable import MIQA

/// `ArchitectureConfig` is an enum with one configuration type per architecture, but its JSON
/// stays the flat object the PyTorch oracle writes (`tools/oracle/make_fixtures.py`) and model
/// cards store.
final class ArchitectureConfigTests: XCTestCase {
    /// Every fixture's config.json (written by Python's json module) decodes to its own case and
    /// encodes back to the same keys and values.
    func testOracleConfigsRoundTrip() throws {
        for name in ArchitectureParityTests.architectures {
            let url = ArchitectureParityTests.fixtures.appendingPathComponent(name).appendingPathComponent("config.json")
            let data = try Data(contentsOf: url)
            let config = try JSONDecoder().decode(ArchitectureConfig.self, from: data)
            let original = try JSONSerialization.jsonObject(with: data) as! NSDictionary
            let again = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! NSDictionary
            XCTAssertEqual(again, original, name)
            XCTAssertEqual(config.architecture, original["architecture"] as? String, name)
            XCTAssertNotNil(try? ModelRegistry.definition(config), name)
        }
    }

    func testCasesAndDefaults() throws {
        let vit = try JSONDecoder().decode(ArchitectureConfig.self, from: Data("""
            {"architecture": "vit", "embed_dim": 8, "depth": 1, "num_heads": 2, "mlp_ratio": 2, "patch_size": 4, "image_size": 8}
            """.utf8))
        guard case let .vit(c) = vit else { return XCTFail("\(vit)") }
        XCTAssertEqual(c.embedDim, 8)
        XCTAssertEqual(vit.numOutputs, 1, "num_outputs defaults to 1")
        let darknet = try JSONDecoder().decode(ArchitectureConfig.self, from: Data(#"{"architecture": "darknet", "num_outputs": 80}"#.utf8))
        XCTAssertEqual(darknet, .external(architecture: "darknet", numOutputs: 80))
        var resnet = ModelRegistry.config(named: "resnet50")!
        resnet.numOutputs = 3
        guard case let .resnet(r) = resnet else { return XCTFail("\(resnet)") }
        XCTAssertEqual(r.block, .bottleneck)
        XCTAssertEqual(r.numOutputs, 3)
    }

    /// A config without one of its architecture's fields, or with a wrong value, is an error
    /// naming the field (not a silent default).
    func testMissingOrWrongFieldsAreErrors() {
        XCTAssertThrowsError(try JSONDecoder().decode(ArchitectureConfig.self, from: Data(#"{"architecture": "resnet", "block": "basic"}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("layers"), "\($0)")
        }
        XCTAssertThrowsError(try JSONDecoder().decode(ArchitectureConfig.self, from: Data("""
            {"architecture": "resnet", "block": "tiny", "layers": [1], "widths": [8], "stem_width": 8}
            """.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(ArchitectureConfig.self, from: Data(#"{"architecture": "ra_miqa", "embed_dim": 8, "depth": 1, "num_heads": 2, "mlp_ratio": 2, "patch_size": 4, "image_size": 8}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("region"), "\($0)")
        }
        // An external kind has no definition to build.
        XCTAssertThrowsError(try ModelRegistry.build(.external(architecture: "darknet", numOutputs: 80), weights: [:]))
    }
}
