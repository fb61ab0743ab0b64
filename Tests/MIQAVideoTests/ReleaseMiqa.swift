import Foundation
import XCTest

/// The release `miqa` binary as a real process, for the tests that kill it or fill its disk.
enum ReleaseMiqa {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/release/miqa` (or `$MIQA_BINARY`); skipped with the build command when missing.
    static func binary() throws -> URL {
        let env = ProcessInfo.processInfo.environment["MIQA_BINARY"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? packageRoot.appendingPathComponent(".build/release/miqa")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("no release binary at \(url.path); build it with: swift build -c release --product miqa")
        }
        // A binary older than the sources would test old code.
        if env == nil, let built = modified(url), let walker = FileManager.default.enumerator(at: packageRoot.appendingPathComponent("Sources"),
                                                                                            includingPropertiesForKeys: nil) {
            for case let source as URL in walker where source.pathExtension == "swift" {
                if let d = modified(source), d > built {
                    XCTFail("\(url.path) is older than \(source.path); rebuild it with: swift build -c release --product miqa")
                    break
                }
            }
        }
        return url
    }

    private static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    /// Starts `miqa arguments` with `$MIQA_HOME` = `home`, standard error to `log`.
    static func start(_ arguments: [String], home: URL, log: URL) throws -> Process {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MIQA_HOME"] = home.path
        env.removeValue(forKey: "MIQA_DEFAULT_MODEL")
        p.environment = env
        FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: log)
        try p.run()
        return p
    }

    /// The names in `dir` (hidden ones included), sorted.
    static func entries(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
}
