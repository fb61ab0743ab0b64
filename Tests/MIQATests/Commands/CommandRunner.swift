import Foundation
import XCTest

/// Runs the built `miqa` executable, as a user would, for the command-layer tests: exit status,
/// standard output and standard error are what these tests check.
///
/// The binary is `$MIQA_BINARY`, else the newer of `.build/release/miqa` and `.build/debug/miqa`
/// of this package (build it first: `swift build -c release --product miqa`).
enum CommandRunner {
    /// The package root (this file is Tests/MIQATests/Commands/CommandRunner.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The oracle Python (csv module, PIL); `$MIQA_ORACLE_PYTHON` overrides.
    static var python: String {
        ProcessInfo.processInfo.environment["MIQA_ORACLE_PYTHON"] ?? "/work/main/.build/oracle-venv/bin/python3"
    }

    static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["MIQA_BINARY"] { return URL(fileURLWithPath: path) }
        let candidates = ["release", "debug"].map { packageRoot.appendingPathComponent(".build/\($0)/miqa") }
        let existing = candidates.compactMap { url -> (URL, Date)? in
            guard let date = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date else { return nil }
            return (url, date)
        }
        guard let newest = existing.max(by: { $0.1 < $1.1 }) else {
            struct NoBinary: Error, CustomStringConvertible { let description: String }
            throw NoBinary(description: "no miqa binary in \(packageRoot.path)/.build; run: swift build --product miqa (swift test builds it)")
        }
        return newest.0
    }

    /// What a run did.
    struct Result {
        var status: Int32
        /// `.uncaughtSignal` for a crash (SIGSEGV, SIGILL, SIGFPE, SIGTRAP).
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
        var exitedNormally: Bool { reason == .exit }
    }

    /// Runs `miqa arguments`. `stdoutPath` redirects standard output to a file (e.g. /dev/full);
    /// `MIQA_HOME` is a fresh empty folder unless `environment` sets it, so no installed model leaks in.
    static func run(_ arguments: [String], stdoutPath: String? = nil, stdin: String? = nil,
                    environment: [String: String] = [:], currentDirectory: URL? = nil) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MIQA_HOME"] = scratch.appendingPathComponent("home").path
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutPath.map { URL(fileURLWithPath: $0) } ?? outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try Data(stdin.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        // A hang guard, not a speed check: a regression that blocks (reading a FIFO) or runs away
        // (an unbounded --iters) must end the test rather than the whole suite.
        DispatchQueue.global().asyncAfter(deadline: .now() + 600) { if process.isRunning { process.terminate() } }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      stdout: stdoutPath == nil ? (try String(contentsOf: outURL, encoding: .utf8)) : "",
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Runs the oracle Python with a script; returns its standard output (fails the test on an error).
    static func runPython(_ script: String, arguments: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("oracle python \(python) not found (set MIQA_ORACLE_PYTHON)")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let scriptURL = scratch.appendingPathComponent("s.py"), outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptURL.path] + arguments
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, "python failed: \(stderr)", file: file, line: line)
        return try String(contentsOf: outURL, encoding: .utf8)
    }

    /// A private node of the full device (char 1,7, what /dev/full is) in `folder`, for tests
    /// that name it as an output file: a regressed binary that renames a file over its output
    /// then replaces this node, not the system's /dev/full. Needs root (mknod); nil otherwise.
    static func fullDevice(in folder: URL) -> String? {
        let path = folder.appendingPathComponent("full").path
        let device: dev_t = (1 << 8) | 7  // makedev(1, 7)
        return mknod(path, S_IFCHR | 0o666, device) == 0 ? path : nil
    }

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// An ImageNet-shaped classifier (1000 outputs): the built-in EfficientNet-Lite0 predictor with
    /// its one-output head replaced by a random 1000-class one, written by the safetensors library
    /// into `folder` (without a model card, so the architecture is recognised from the keys).
    static func classifierWeights(in folder: URL) throws -> URL {
        let source = packageRoot.appendingPathComponent("Sources/MIQA/Resources/DefaultModel/model.safetensors")
        let target = folder.appendingPathComponent("classifier1000.safetensors")
        _ = try runPython("""
            import sys, numpy as np
            from safetensors.numpy import load_file, save_file
            d = load_file(sys.argv[1])
            rng = np.random.RandomState(0)
            d['_fc.weight'] = (rng.randn(1000, d['_fc.weight'].shape[1]) * 0.05).astype(np.float32)
            d['_fc.bias'] = np.zeros(1000, dtype=np.float32)
            save_file(d, sys.argv[2])
            """, arguments: [source.path, target.path])
        return target
    }
}
