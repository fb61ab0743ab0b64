import Foundation
import Tensor

/// Builds the inference network of a definition: values are `Tensor`s, BatchNorm is folded into
/// the preceding convolution, activations and residual adds run as oneDNN post-ops of the layer
/// before them, and a residual add accumulates into the shortcut's memory. Dropout and
/// stochastic depth are the identity.
final class InferenceBuilder: NetworkBuilder {
    typealias Value = Tensor
    typealias Context = Void

    let store: ParameterStore

    init(_ store: ParameterStore) { self.store = store }

    func input(_ view: Tensor, _ c: Void) -> Tensor { view }

    /// The fused post-ops of an activation (a residual add, when there is one, comes first).
    private func postOps(accumulate: Bool, _ activation: ActivationKind?) -> [PostOp] {
        var ops: [PostOp] = accumulate ? [.accumulate] : []
        if let activation { ops.append(activation.postOp) }
        return ops
    }

    private func foldedConv(_ scope: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, postOps: [PostOp]) -> Conv2dKernel {
        let w = store.take(scope.key("weight"), [g.outChannels, g.inChannels / g.groups, g.kernel, g.kernel])
        let (fw, fb) = BatchNormFolding.fold(convWeight: w, convBias: nil, bn: norm.scope, eps: norm.eps, from: store)
        return Conv2dKernel(weight: fw, bias: fb, stride: (g.stride, g.stride), padding: g.padding, groups: g.groups, postOps: postOps)
    }

    func convNorm(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, activation: ActivationKind?) -> Layer {
        let kernel = foldedConv(conv, g, norm: norm, postOps: postOps(accumulate: false, activation))
        return { x, _ in kernel(x) }
    }

    func convNormAdding(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, dropPath: Float?,
                        activation: ActivationKind?) -> AddingLayer {
        let kernel = foldedConv(conv, g, norm: norm, postOps: postOps(accumulate: true, activation))
        return { x, shortcut, _ in kernel(x, accumulate: shortcut) }
    }

    func conv(_ scope: ParameterScope, _ g: ConvGeometry) -> Layer {
        let kernel = Conv2dKernel(weight: store.take(scope.key("weight"), [g.outChannels, g.inChannels / g.groups, g.kernel, g.kernel]),
                                  bias: store.take(scope.key("bias"), [g.outChannels]),
                                  stride: (g.stride, g.stride), padding: g.padding, groups: g.groups)
        return { x, _ in kernel(x) }
    }

    func linear(weight: String, bias: String, in inFeatures: Int, out: Int, storedShape: [Int]?,
                activation: ActivationKind?) -> Layer {
        var w = store.take(weight, storedShape ?? [out, inFeatures])
        if storedShape != nil { w = w.reshaped([out, inFeatures]) }
        let kernel = LinearKernel(weight: w, bias: store.take(bias, [out]), postOps: postOps(accumulate: false, activation))
        return { x, _ in kernel(x) }
    }

    func linearAdding(_ scope: ParameterScope, in inFeatures: Int, out: Int) -> AddingLayer {
        let kernel = LinearKernel(weight: store.take(scope.key("weight"), [out, inFeatures]), bias: store.take(scope.key("bias"), [out]),
                                  postOps: [.accumulate])
        return { x, shortcut, _ in kernel(x, accumulate: shortcut) }
    }

    func layerNorm(_ scope: ParameterScope, dim: Int, eps: Float, activation: ActivationKind?) -> Layer {
        let kernel = LayerNormKernel(weight: store.take(scope.key("weight"), [dim]), bias: store.take(scope.key("bias"), [dim]), eps: eps)
        guard let activation else { return { x, _ in kernel(x) } }
        return { x, _ in
            let y = kernel(x)
            activation.applyInPlace(y)
            return y
        }
    }

    func parameter(_ key: ParameterScope, shape: [Int]) -> Tensor { store.take(key.path, shape) }

    func unused(_ key: ParameterScope, export: Bool) { store.ignore(key.path) }

    func frozen(_ make: (InferenceBuilder) throws -> (Tensor) -> Tensor) rethrows -> (Tensor, Void) -> Tensor {
        let run = try make(self)
        return { x, _ in run(x) }
    }

    func attention(heads: Int) -> Layer {
        // One kernel per block, built here: it caches its primitives per input shape.
        let kernel = AttentionKernel(heads: heads)
        return { qkv, _ in kernel(qkv) }
    }

    func maxPool(_ x: Tensor, kernel: Int, stride: Int, padding: Int, _ c: Void) -> Tensor {
        Pooling.max2d(x, kernel: kernel, stride: stride, padding: padding)
    }

    func globalAveragePool(_ x: Tensor, _ c: Void) -> Tensor { Pooling.globalAverage(x) }

    func activation(_ x: Tensor, _ kind: ActivationKind, _ c: Void) -> Tensor {
        kind.applyInPlace(x)
        return x
    }

    func scaleChannels(_ x: Tensor, by s: Tensor, _ c: Void) -> Tensor {
        Elementwise.scaleChannels(x, by: s)
        return x
    }

    func dropout(_ x: Tensor, p: Float, _ c: Void) -> Tensor { x }

    func patchTokens(_ x: Tensor, _ c: Void) -> Tensor { Tokens.fromPatchGrid(x) }

    func assembleTokens(prefix: [Tensor], patches: Tensor, position: Tensor, _ c: Void) -> Tensor {
        Tokens.assemble(prefix: prefix, patches: patches, position: position)
    }

    func selectToken(_ x: Tensor, index: Int, _ c: Void) -> Tensor { Tokens.select(x, index: index) }

    func concatFeatures(_ parts: [Tensor], _ c: Void) -> Tensor { Tokens.concatFeatures(parts) }
}

/// A network built by `InferenceBuilder`: the `Model` that `ModelRegistry.build` returns.
final class InferenceNetwork: Model {
    let config: ArchitectureConfig
    private let run: ([Tensor], Void) -> Tensor

    init(_ config: ArchitectureConfig, _ run: @escaping ([Tensor], Void) -> Tensor) {
        self.config = config
        self.run = run
    }

    func forward(_ views: [Tensor]) -> Tensor { run(views, ()) }
}
