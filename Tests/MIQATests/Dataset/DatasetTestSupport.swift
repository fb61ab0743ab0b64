import Foundation
import Imaging
import XCTest
@testable import MIQA

/// Shared material of the dataset tests: the fixture references, temporary folders and one
/// generated tiny database that tests copy instead of regenerating (generation is the slow part).
enum DatasetTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let types: [DistortionType] = [.contrast, .gaussian_noise]
    static let ids = ["ref_astronaut", "ref_coffee"]

    /// A fresh temporary folder, removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A folder holding the two fixture references (no masks).
    static func referencesFolder(_ test: XCTestCase) throws -> URL {
        let dir = try temporaryFolder(test).appendingPathComponent("refs")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["ref_coffee.jpg", "ref_astronaut.png"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    nonisolated(unsafe) private static var pristine: (refs: URL, root: URL)?

    /// A copy of the tiny database generated once from the fixtures with `types`, and its references folder.
    static func generatedCopy(_ test: XCTestCase) throws -> (refs: URL, root: URL) {
        if pristine == nil {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-dataset-pristine-\(getpid())")
            try? FileManager.default.removeItem(at: base)
            let refs = base.appendingPathComponent("refs"), root = base.appendingPathComponent("db")
            try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
            for name in ["ref_coffee.jpg", "ref_astronaut.png"] {
                try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: refs.appendingPathComponent(name))
            }
            let summary = try DatasetGenerator(options: options(refs: refs, root: root)).run()
            XCTAssertEqual(summary.generated, ids)
            XCTAssertTrue(summary.failed.isEmpty, "\(summary.failed)")
            pristine = (refs, root)
        }
        let dir = try temporaryFolder(test)
        let refs = dir.appendingPathComponent("refs"), root = dir.appendingPathComponent("db")
        try FileManager.default.copyItem(at: pristine!.refs, to: refs)
        try FileManager.default.copyItem(at: pristine!.root, to: root)
        return (refs, root)
    }

    static func options(refs: URL, root: URL, masks: URL? = nil, types: [DistortionType] = types) -> GenerationOptions {
        GenerationOptions(references: refs, root: root, task: "cls", masks: masks, types: types, threads: 2)
    }

    /// Modification date of a file, to tell rewritten files from untouched ones.
    static func modified(_ url: URL) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date
    }

    /// Writes an image as PNG.
    static func writePNG(_ image: RGBImage, to url: URL) throws {
        try ImageEncoder.png(image).write(to: url)
    }
}
