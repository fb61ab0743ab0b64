import XCTest
import Imaging
@testable import MIQA

/// File names that are not UTF-8 (created with Python, which can) are reported as error rows
/// naming the path with \x escapes, in folder scans and when named: never silently dropped.
final class NonUTF8NameTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try CommandRunner.folder()
        for i in 0..<3 {
            try ImageEncoder.png(ScoringFixtures.image(width: 64, height: 48, seed: i)).write(to: dir.appendingPathComponent("ok\(i).png"))
        }
        // A real PNG under the name b'\xff.png', and a non-image with a bad name (not an input).
        _ = try CommandRunner.runPython("""
            import os, shutil, sys
            d = os.fsencode(sys.argv[1])
            shutil.copyfile(os.path.join(d, b'ok0.png'), os.path.join(d, b'\\xff.png'))
            open(os.path.join(d, b'notes\\xfe.txt'), 'wb').write(b'x')
            """, arguments: [dir.path])
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testFolderScanReportsTheName() throws {
        let (files, errors) = InputCollection.expand([dir.path])
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["ok0.png", "ok1.png", "ok2.png"])
        XCTAssertEqual(errors, [ImageScore(path: dir.path + "/\\xFF.png", score: nil, error: InputCollection.nonUTF8Error)])
    }

    func testScoreCountsIt() throws {
        let r = try CommandRunner.run(["score", dir.path, "--format", "table", "--no-progress"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("scored 3 of 4 image(s), 1 failed"), r.stdout)
        XCTAssertTrue(r.stderr.contains("error: \(dir.path)/\\xFF.png: file name is not valid UTF-8"), r.stderr)
    }

    /// Named on the command line (raw bytes through Python's subprocess): the reason, not "no such file".
    func testNamedFileSaysWhy() throws {
        let binary = try CommandRunner.binary()
        let out = try CommandRunner.runPython("""
            import os, subprocess, sys
            p = subprocess.run([sys.argv[1], 'score', os.fsencode(sys.argv[2]) + b'/\\xff.png', '--format', 'csv'],
                               capture_output=True, env=dict(os.environ, MIQA_HOME=sys.argv[2] + '/home'))
            print(p.returncode)
            sys.stdout.write(p.stderr.decode('utf-8', 'replace'))
            """, arguments: [binary.path, dir.path])
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "1", out)
        XCTAssertTrue(out.contains("file name is not valid UTF-8"), out)
        XCTAssertFalse(out.contains("no such file"), out)
    }

    func testEscaping() {
        XCTAssertEqual(InputCollection.escaped([0x61, 0xFF, 0xC3, 0xA9, 0xE2, 0x82]), "a\\xFFé\\xE2\\x82")
        XCTAssertEqual(InputCollection.escaped(Array("plain.png".utf8)), "plain.png")
    }
}
