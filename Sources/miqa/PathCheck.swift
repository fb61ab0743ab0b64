import ArgumentParser
import Foundation

/// Checks of paths named on the command line, made before any work starts, so that a wrong path
/// gets one sentence naming it ("--out /x/y: is a file, expected a folder") instead of
/// Foundation's "The operation couldn't be completed" later on.
enum PathCheck {
    /// What kind of thing is at `path` (following symlinks), or nil when nothing is.
    static func kind(_ path: String) -> mode_t? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return st.st_mode & S_IFMT
    }

    /// A word for a non-regular file type.
    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }

    /// `path` must be an existing regular file that can be read.
    static func readableFile(_ path: String, option: String) throws {
        guard let kind = kind(path) else { throw ValidationError("\(option) \(path): no such file") }
        guard kind == S_IFREG else {
            throw ValidationError("\(option) \(path): is \(describe(kind)), expected a regular file")
        }
        guard access(path, R_OK) == 0 else { throw ValidationError("\(option) \(path): permission denied (not readable)") }
    }

    /// `path` must be an existing folder.
    static func inputFolder(_ path: String, option: String) throws {
        guard let kind = kind(path) else { throw ValidationError("\(option) \(path): no such folder") }
        guard kind == S_IFDIR else { throw ValidationError("\(option) \(path): is \(kind == S_IFREG ? "a file" : describe(kind)), expected a folder") }
    }

    /// `path` must be a folder, or not exist yet (it is then created by the command).
    static func outputFolder(_ path: String, option: String) throws {
        if let kind = kind(path) {
            guard kind == S_IFDIR else { throw ValidationError("\(option) \(path): is \(kind == S_IFREG ? "a file" : describe(kind)), expected a folder") }
            guard access(path, W_OK | X_OK) == 0 else { throw ValidationError("\(option) \(path): permission denied (folder not writable)") }
            return
        }
        // Find the nearest existing ancestor: it must be a writable folder.
        var parent = (path as NSString).deletingLastPathComponent
        if parent.isEmpty { parent = "." }
        while kind(parent) == nil, parent != "/", parent != "." {
            let up = (parent as NSString).deletingLastPathComponent
            parent = up.isEmpty ? "." : up
        }
        guard let kind = kind(parent) else { return }
        guard kind == S_IFDIR else { throw ValidationError("\(option) \(path): \(parent) is \(kind == S_IFREG ? "a file" : describe(kind)), expected a folder") }
        guard access(parent, W_OK | X_OK) == 0 else { throw ValidationError("\(option) \(path): permission denied (cannot create it in \(parent))") }
    }

    /// `path` is an output file: its folder must exist, and it must not be a folder itself.
    /// `atomic`: the command writes a temporary file and renames it over `path`, which would
    /// replace a device or FIFO (/dev/full, /dev/stdout) by a regular file, so those are refused.
    static func outputFile(_ path: String, option: String, atomic: Bool = false) throws {
        if let kind = kind(path), kind == S_IFDIR { throw ValidationError("\(option) \(path): is a folder, expected a file") }
        if atomic, let kind = kind(path), kind != S_IFREG {
            throw ValidationError("\(option) \(path): is \(describe(kind)), expected a regular file (it is written by renaming a new file over it)")
        }
        var parent = (path as NSString).deletingLastPathComponent
        if parent.isEmpty { parent = "." }
        guard let parentKind = kind(parent) else { throw ValidationError("\(option) \(path): folder \(parent) does not exist") }
        guard parentKind == S_IFDIR else { throw ValidationError("\(option) \(path): \(parent) is not a folder") }
    }

    /// Foundation's error in words: the POSIX reason when there is one ("No space left on device").
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
            case NSFileWriteOutOfSpaceError: return "no space left on device"
            case NSFileWriteVolumeReadOnlyError: return "read-only file system"
            case NSFileWriteFileExistsError: return "a file of that name exists"
            default: return ns.localizedDescription
            }
        }
        return "\(error)"
    }

    /// An error for a one-line message: our own errors as they describe themselves; Foundation's
    /// file errors as "PATH: reason" instead of "The operation couldn't be completed".
    /// `message(error)` for a failure on `path`, with the path said once: decoder errors already
    /// start with it.
    static func message(_ error: Error, about path: String) -> String {
        let text = message(error)
        return text.hasPrefix(path + ":") ? text : "\(path): \(text)"
    }

    static func message(_ error: Error) -> String {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        return (path.map { "\($0): " } ?? "") + reason(error)
    }
}
