import XCTest
@testable import MIQA

/// CSV written by `miqa score` and `CSVTable` is read back field for field by Python's `csv`
/// module (RFC 4180: CR, LF, CRLF, quotes and commas inside quoted fields), CSV written by
/// Python is read by `CSVTable`, and a quote that is never closed is reported with its line.
final class CSVQuotingTests: XCTestCase {
    /// Fields that need quoting, and some that do not.
    static let awkward = ["plain", "comma, inside", "quote \" inside", "\"starts with quote", "line\nfeed", "carriage\rreturn",
                          "crlf\r\nbreak", "trailing\n", "", "  spaced  ", "ünïcödé, \"mixed\"\r\n", "a\"b"]

    /// Python's reading of `text`: its rows as JSON.
    private func pythonRows(_ text: String) throws -> [[String]] {
        let dir = try CommandRunner.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.csv")
        try Data(text.utf8).write(to: file)
        let json = try CommandRunner.runPython("""
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f))))
            """, arguments: [file.path])
        return try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
    }

    func testCSVTableTextRoundTripsThroughPython() throws {
        let rows = [Self.awkward, Self.awkward.reversed()].map { Array($0) }
        let table = CSVTable(header: (0..<Self.awkward.count).map { "c\($0)" }, rows: rows)
        let parsed = try pythonRows(table.text)
        XCTAssertEqual(parsed, [table.header] + rows)
        // And back: our reader gives the same fields.
        let reread = try CSVTable(text: table.text, name: "t.csv")
        XCTAssertEqual(reread.rows, rows)
    }

    func testScoreCSVRowsRoundTripThroughPython() throws {
        let results = Self.awkward.enumerated().map { i, name in
            ImageScore(path: "/data/\(name).png", score: i % 3 == 0 ? nil : Float(i) / 10, error: i % 3 == 0 ? "bad, \"really\"\r\nbad" : nil)
        }
        let text = ([ScoreReport.csvHeader] + results.map(ScoreReport.csvRow)).joined(separator: "\n") + "\n"
        let parsed = try pythonRows(text)
        XCTAssertEqual(parsed.count, results.count + 1)
        XCTAssertEqual(parsed[0], ["image_path", "image_name", "quality_score", "error"])
        for (row, r) in zip(parsed.dropFirst(), results) {
            XCTAssertEqual(row[0], r.path)
            XCTAssertEqual(row[1], r.name)
            XCTAssertEqual(row[2], r.score.map { String(format: "%.6f", $0) } ?? "")
            XCTAssertEqual(row[3], r.error ?? "")
        }
    }

    func testPythonWrittenCSVIsReadExactly() throws {
        // csv.writer's defaults: minimal quoting, CRLF line ends.
        let json = String(decoding: try JSONEncoder().encode([["h1", "h2", "h3"]] + [Self.awkward.prefix(3), Self.awkward.suffix(3)].map(Array.init)
                                                                 + [["x\ny", "", "z\r\nw"]]), as: UTF8.self)
        let dir = try CommandRunner.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("py.csv")
        _ = try CommandRunner.runPython("""
            import csv, json, sys
            with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
                csv.writer(f).writerows(json.loads(sys.argv[2]))
            """, arguments: [file.path, json])
        let expected = try JSONDecoder().decode([[String]].self, from: Data(json.utf8))
        let table = try CSVTable(contentsOf: file)
        XCTAssertEqual([table.header] + table.rows, expected)
    }

    func testUnbalancedQuoteNamesFileAndLine() throws {
        let text = "dist_images,weighted_consistency\nr/a.png,0.5\nr/b.png,\"0.4\nr/c.png,0.3\n"
        XCTAssertThrowsError(try CSVTable(text: text, name: "labels/r_mmos.csv")) { error in
            XCTAssertEqual("\(error)", "labels/r_mmos.csv: line 3: unbalanced quote")
        }
        // Python agrees the file is broken: in strict mode it refuses it too.
        let dir = try CommandRunner.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.csv")
        try Data(text.utf8).write(to: file)
        let verdict = try CommandRunner.runPython("""
            import csv, sys
            try:
                with open(sys.argv[1], newline='') as f: list(csv.reader(f, strict=True))
                print('ok')
            except csv.Error as e:
                print('error')
            """, arguments: [file.path])
        XCTAssertEqual(verdict, "error\n")
    }

    /// Through the label reader: the message is about the quote, not a misleading empty column.
    func testLabelFileWithUnbalancedQuote() throws {
        let root = try CommandRunner.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("labels"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
        let file = root.appendingPathComponent("labels/r1_mmos.csv")
        try "dist_images,weighted_consistency\nr1/a.png,\"0.5\nr1/b.png,0.3\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try EvaluationSet.miqd(root: root, task: "cls", label: "consistency", split: nil)) { error in
            XCTAssertEqual("\(error)", "\(file.path): line 2: unbalanced quote")
        }
    }
}
