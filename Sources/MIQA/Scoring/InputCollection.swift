import Foundation

/// Expanding command-line inputs (files and folders) into the image files to score.
public enum InputCollection {
    /// The original's extensions plus WebP, compared case-insensitively.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"]

    /// Files are kept as given (whatever their extension: the user named them); folders contribute
    /// their image files sorted by name (recursively when asked). Missing paths become errors.
    public static func expand(_ inputs: [String], recursive: Bool = false) -> (files: [String], errors: [ImageScore]) {
        var files: [String] = []
        var errors: [ImageScore] = []
        let fm = FileManager.default
        for input in inputs {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDir) else {
                errors.append(ImageScore(path: input, score: nil, error: "no such file or directory"))
                continue
            }
            if !isDir.boolValue {
                files.append(input)
                continue
            }
            let (found, broken) = imageFiles(in: URL(fileURLWithPath: input), recursive: recursive)
            if found.isEmpty && broken.isEmpty {
                errors.append(ImageScore(path: input, score: nil, error: "directory contains no images"))
            }
            files.append(contentsOf: found)
            errors.append(contentsOf: broken.map { ImageScore(path: $0, score: nil, error: "unreadable: dangling symbolic link") })
        }
        return (files, errors)
    }

    /// Image files under `dir` (sorted, depth first) and image-named symlinks that point nowhere.
    static func imageFiles(in dir: URL, recursive: Bool) -> (files: [String], broken: [String]) {
        let fm = FileManager.default
        var out: [String] = []
        var broken: [String] = []
        var visited = Set<String>()
        func walk(_ url: URL) {
            // Resolve symlinks so a link back to an ancestor is visited once, not forever.
            let real = url.resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { return }
            guard let names = try? fm.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() {
                let child = url.appendingPathComponent(name)
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: child.path, isDirectory: &isDir) else {
                    if imageExtensions.contains(child.pathExtension.lowercased()),
                       (try? fm.destinationOfSymbolicLink(atPath: child.path)) != nil {
                        broken.append(child.path)
                    }
                    continue
                }
                if isDir.boolValue {
                    if recursive { walk(child) }
                } else if imageExtensions.contains(child.pathExtension.lowercased()) {
                    out.append(child.path)
                }
            }
        }
        walk(dir)
        return (out, broken)
    }
}
