import ArgumentParser
import Foundation

/// The per-file loop `classify` and `detect` share: each path must be a regular file; the body
/// prints its text lines (or returns the file's JSON object); a failure prints one error line
/// naming the file (and becomes an `error` entry in JSON) and the loop goes on. The JSON array
/// is printed at the end; exit status 1 when any file failed.
enum PerImageReport {
    static func run(_ paths: [String], json: Bool, _ body: (String) throws -> [String: Any]) throws {
        var failed = false
        var report: [[String: Any]] = []
        for path in paths {
            do {
                if let kind = PathCheck.kind(path), kind != S_IFREG {
                    throw ValidationError("is \(PathCheck.describe(kind)), expected an image file")
                }
                let entry = try body(path)
                if json { report.append(entry) }
            } catch {
                failed = true
                printError("error: \(PathCheck.message(error, about: path))")
                if json { report.append(["image": path, "error": "\(error)"]) }
            }
        }
        if json {
            // Values are finite (probabilities, boxes); should encoding still fail, say so.
            guard let data = try? JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys]) else {
                printError("error: the results could not be encoded as JSON")
                throw ExitCode(1)
            }
            print(String(decoding: data, as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
    }
}
