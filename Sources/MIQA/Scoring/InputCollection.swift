import Foundation

/// Expanding command-line inputs (files and folders) into the image files to score.
public enum InputCollection {
    /// The original's extensions plus WebP, compared case-insensitively.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"]

    /// The error of an image whose file name is not UTF-8: Foundation (and so the decoders) open
    /// files by `String` paths, which cannot hold such a name, so it is reported, never dropped.
    public static let nonUTF8Error = "file name is not valid UTF-8 (shown with \\x escapes); miqa cannot open it, rename it to score it"

    /// Files are kept as given (whatever their extension: the user named them); folders contribute
    /// their image files sorted by name (recursively when asked). Missing paths, non-regular files
    /// (FIFOs, devices: reading them would block or never end) and file names that are not UTF-8
    /// become errors.
    public static func expand(_ inputs: [String], recursive: Bool = false) -> (files: [String], errors: [ImageScore]) {
        var files: [String] = []
        var errors: [ImageScore] = []
        for input in inputs {
            var st = stat()
            guard stat(input, &st) == 0 else {
                errors.append(ImageScore(path: input, score: nil, error: missingReason(input)))
                continue
            }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFREG {
                files.append(input)
                continue
            }
            guard kind == S_IFDIR else {
                errors.append(ImageScore(path: input, score: nil, error: notRegular(kind)))
                continue
            }
            let (found, broken) = imageFiles(in: URL(fileURLWithPath: input), recursive: recursive)
            if found.isEmpty && broken.isEmpty {
                errors.append(ImageScore(path: input, score: nil, error: "directory contains no images"))
            }
            files.append(contentsOf: found)
            errors.append(contentsOf: broken)
        }
        return (files, errors)
    }

    /// Why a named input does not exist. Command-line arguments that are not UTF-8 reach us with
    /// U+FFFD in place of the bad bytes; when the folder holds such a name, say so.
    static func missingReason(_ input: String) -> String {
        let lastComponent = (input as NSString).lastPathComponent
        if lastComponent.contains("\u{FFFD}") {
            let parent = (input as NSString).deletingLastPathComponent
            let names = rawEntries(parent.isEmpty ? "." : parent)
            if names.contains(where: { String(decoding: $0, as: UTF8.self) == lastComponent && String(validating: $0, as: UTF8.self) == nil }) {
                return nonUTF8Error
            }
        }
        return "no such file or directory"
    }

    static func notRegular(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: return "not a regular file (a FIFO); refusing to read it"
        case S_IFSOCK: return "not a regular file (a socket)"
        case S_IFCHR, S_IFBLK: return "not a regular file (a device)"
        default: return "not a regular file"
        }
    }

    /// The raw names in a folder (not `.`, `..`), as bytes: FileManager leaves out names that are
    /// not UTF-8.
    static func rawEntries(_ path: String) -> [[UInt8]] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [46] || name == [46, 46] { continue }
            names.append(name)
        }
        return names
    }

    /// A byte string for messages: valid UTF-8 as is, other bytes as `\xNN`.
    public static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                out.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                position += encoded.count
            case .error(let length):
                for b in bytes[position..<position + length] { out += String(format: "\\x%02X", b) }
                position += length
            case .emptyInput:
                return out
            }
        }
    }

    /// Image files under `dir` (sorted, depth first), plus error rows for image-named entries that
    /// cannot be scored: dangling symbolic links, non-regular files, names that are not UTF-8.
    static func imageFiles(in dir: URL, recursive: Bool) -> (files: [String], broken: [ImageScore]) {
        var out: [String] = []
        var broken: [ImageScore] = []
        var visited = Set<String>()
        func isImageName(_ name: String) -> Bool { imageExtensions.contains((name as NSString).pathExtension.lowercased()) }
        func walk(_ url: URL) {
            // Resolve symlinks so a link back to an ancestor is visited once, not forever.
            let real = url.resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { return }
            let parent = url.path
            let entries = rawEntries(parent).map { raw in (raw: raw, name: String(validating: raw, as: UTF8.self)) }
                .sorted { ($0.name ?? escaped($0.raw)) < ($1.name ?? escaped($1.raw)) }
            for entry in entries {
                guard let name = entry.name else {
                    let shown = (parent as NSString).appendingPathComponent(escaped(entry.raw))
                    var st = stat()
                    // The raw bytes as a C path: a Swift String cannot carry them.
                    let childPath = (Array(parent.utf8) + [47] + entry.raw + [0]).map { CChar(bitPattern: $0) }
                    let isDirectory = stat(childPath, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
                    if isDirectory {
                        if recursive {
                            broken.append(ImageScore(path: shown, score: nil,
                                                     error: "folder name is not valid UTF-8 (shown with \\x escapes); its images were not scanned, rename it"))
                        }
                    } else if isImageName(escaped(entry.raw)) {
                        broken.append(ImageScore(path: shown, score: nil, error: nonUTF8Error))
                    }
                    continue
                }
                let child = url.appendingPathComponent(name)
                var st = stat()
                guard stat(child.path, &st) == 0 else {
                    var link = stat()
                    if isImageName(name), lstat(child.path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
                        broken.append(ImageScore(path: child.path, score: nil, error: "unreadable: dangling symbolic link"))
                    }
                    continue
                }
                let kind = st.st_mode & S_IFMT
                if kind == S_IFDIR {
                    if recursive { walk(child) }
                } else if isImageName(name) {
                    if kind == S_IFREG {
                        out.append(child.path)
                    } else {
                        broken.append(ImageScore(path: child.path, score: nil, error: notRegular(kind)))
                    }
                }
            }
        }
        walk(dir)
        return (out, broken)
    }
}
