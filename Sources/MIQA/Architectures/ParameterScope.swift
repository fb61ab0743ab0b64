import Foundation

/// Where a layer's tensors live in a PyTorch `state_dict`: a dotted prefix built one scope at a
/// time (`root["layer1"][0]["conv1"]` is `layer1.0.conv1`), so no definition assembles key
/// strings by hand and a renamed module is renamed in one place.
struct ParameterScope: Sendable, Hashable, CustomStringConvertible {
    /// The dotted prefix; empty for the root.
    public let path: String

    /// The top of a `state_dict`.
    public static let root = ParameterScope(path: "")

    init(path: String) { self.path = path }

    /// A child module (`name` may itself be dotted, e.g. `attn.qkv`).
    public subscript(_ name: String) -> ParameterScope {
        ParameterScope(path: path.isEmpty ? name : "\(path).\(name)")
    }

    /// A child of an `nn.Sequential` or `nn.ModuleList`.
    public subscript(_ index: Int) -> ParameterScope { self[String(index)] }

    /// The full key of a tensor of this module (`weight`, `bias`, `running_mean`, ...).
    public func key(_ leaf: String) -> String { self[leaf].path }

    public var description: String { path.isEmpty ? "<root>" : path }
}
