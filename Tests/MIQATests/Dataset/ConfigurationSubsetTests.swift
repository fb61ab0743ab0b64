import Foundation
import Imaging
import XCTest
@testable import MIQA

/// `miqa dataset generate --configurations N`: fewer region configurations per reference.
final class ConfigurationSubsetTests: XCTestCase {
    typealias S = DatasetTestSupport

    func testSubsetOrderAndFamilies() {
        XCTAssertEqual(RegionConfiguration.subset(25), RegionConfiguration.all)
        XCTAssertEqual(Set(RegionConfiguration.priority), Set(RegionConfiguration.all))
        XCTAssertEqual(RegionConfiguration.priority.count, 25)
        // Five: the uniform levels only.
        XCTAssertEqual(RegionConfiguration.subset(5).map(\.suffix), ["_1", "_2", "_3", "_4", "_5"])
        // Nine: then the widest-gap pairs of both families (gap 4, then gap 3 with the stronger
        // level highest), listed in MIQD order.
        XCTAssertEqual(RegionConfiguration.subset(9).map(\.suffix),
                       ["_1", "_2", "_3", "_4", "_5", "_fg_stronger_fg5_bg1", "_fg_stronger_fg5_bg2",
                        "_bg_stronger_fg1_bg5", "_bg_stronger_fg2_bg5"])
        XCTAssertEqual(RegionConfiguration.subset(1).map(\.suffix), ["_1"])
    }

    /// A subset run writes exactly its files, byte-identical to the same files of the full run,
    /// and a full run over it regenerates the reference (the marker lists other files).
    func testSubsetImagesEqualTheFullRunsFiles() throws {
        let (refs, full) = try S.generatedCopy(self)
        let root = try S.temporaryFolder(self).appendingPathComponent("db")
        var options = S.options(refs: refs, root: root)
        options.configurations = RegionConfiguration.subset(7)
        let generator = DatasetGenerator(options: options)
        let summary = try generator.run()
        XCTAssertEqual(summary.generated, S.ids)
        XCTAssertEqual(summary.imagesWritten, S.ids.count * S.types.count * 7)
        let layout = MIQDLayout(root: root), fullLayout = MIQDLayout(root: full)
        for id in S.ids {
            let expected = MIQDLayout.distortedFileNames(id: id, types: S.types, configurations: RegionConfiguration.subset(7))
            XCTAssertEqual(expected.count, 14)
            let files = try FileManager.default.contentsOfDirectory(atPath: layout.folder(id).path).filter { $0.hasSuffix(".png") }
            XCTAssertEqual(Set(files), Set(expected))
            for name in expected {
                XCTAssertEqual(try Data(contentsOf: layout.folder(id).appendingPathComponent(name)),
                               try Data(contentsOf: fullLayout.folder(id).appendingPathComponent(name)), name)
            }
            let rows = try IQAScoreRow.read(layout.iqaScores(id))
            XCTAssertEqual(rows.map(\.image), expected.map { "\(id)/\($0)" })
            XCTAssertTrue(generator.isComplete(id))
            XCTAssertFalse(DatasetGenerator(options: S.options(refs: refs, root: root)).isComplete(id))
        }
    }

    func testCommandRangeIsChecked() throws {
        let refs = try S.referencesFolder(self)
        let out = refs.deletingLastPathComponent().appendingPathComponent("db").path
        for bad in ["0", "26"] {
            let r = try CommandRunner.run(["dataset", "generate", "--references", refs.path, "--out", out, "--configurations", bad])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("--configurations must be in 1...25 (got \(bad))"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
