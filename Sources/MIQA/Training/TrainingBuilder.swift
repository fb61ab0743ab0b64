import Foundation
import Tensor

/// Builds the training network of a definition: values are `Variable`s recorded on the
/// context's tape, BatchNorm runs as its own op (batch statistics in train mode, running ones in
/// eval mode), dropout and stochastic depth are active in train mode. Takes every tensor from a
/// `ParameterStore` by name (strictly: `finish()` reports every missing, unexpected or
/// mis-shaped key), as a private copy, so training never mutates the caller's tensors.
final class TrainingBuilder: NetworkBuilder {
    typealias Value = Variable
    typealias Context = ForwardContext

    let store: ParameterStore
    /// Trainable parameters in construction order (the order of PyTorch's `state_dict()`).
    private(set) var parameters: [(name: String, variable: Variable)] = []
    /// Non-trainable tensors that training updates (BatchNorm running statistics).
    private(set) var buffers: [(name: String, tensor: Tensor)] = []
    /// Tensors exported unchanged (frozen parts, unused checkpoint entries).
    private(set) var frozenTensors: [String: Tensor] = [:]

    init(_ store: ParameterStore) { self.store = store }

    func parameter(_ name: String, _ shape: [Int]) -> Variable {
        let v = Variable(store.take(name, shape).copy(), requiresGrad: true)
        parameters.append((name, v))
        return v
    }

    func buffer(_ name: String, _ shape: [Int]) -> Tensor {
        let t = store.take(name, shape).copy()
        buffers.append((name, t))
        return t
    }

    func input(_ view: Tensor, _ c: ForwardContext) -> Variable { Variable(view) }

    func convNorm(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, activation: ActivationKind?) -> Layer {
        let (cv, bn) = (TrainConv(self, conv, g, bias: false), TrainBatchNorm(self, norm, channels: g.outChannels))
        return { x, c in
            let y = bn(cv(x, c), c)
            return activation.map { Differentiable.activation(y, $0, tape: c.tape) } ?? y
        }
    }

    func convNormAdding(_ conv: ParameterScope, _ g: ConvGeometry, norm: BatchNormSettings, dropPath: Float?,
                        activation: ActivationKind?) -> AddingLayer {
        let (cv, bn) = (TrainConv(self, conv, g, bias: false), TrainBatchNorm(self, norm, channels: g.outChannels))
        return { x, shortcut, c in
            var y = bn(cv(x, c), c)
            if let dropPath, c.training { y = Differentiable.dropPath(y, p: dropPath, generator: &c.dropout, tape: c.tape) }
            let sum = Differentiable.add(y, shortcut, tape: c.tape)
            return activation.map { Differentiable.activation(sum, $0, tape: c.tape) } ?? sum
        }
    }

    func conv(_ scope: ParameterScope, _ g: ConvGeometry) -> Layer {
        let cv = TrainConv(self, scope, g, bias: true)
        return { x, c in cv(x, c) }
    }

    func linear(weight: String, bias: String, in inFeatures: Int, out: Int, storedShape: [Int]?,
                activation: ActivationKind?) -> Layer {
        let l = TrainLinear(self, weight: weight, bias: bias, in: inFeatures, out: out, storedShape: storedShape)
        return { x, c in
            let y = l(x, c)
            return activation.map { Differentiable.activation(y, $0, tape: c.tape) } ?? y
        }
    }

    func linearAdding(_ scope: ParameterScope, in inFeatures: Int, out: Int) -> AddingLayer {
        let l = TrainLinear(self, weight: scope.key("weight"), bias: scope.key("bias"), in: inFeatures, out: out, storedShape: nil)
        return { x, shortcut, c in Differentiable.add(shortcut, l(x, c), tape: c.tape) }
    }

    func layerNorm(_ scope: ParameterScope, dim: Int, eps: Float, activation: ActivationKind?) -> Layer {
        let n = TrainLayerNorm(self, scope, dim: dim, eps: eps)
        return { x, c in
            let y = n(x, c)
            return activation.map { Differentiable.activation(y, $0, tape: c.tape) } ?? y
        }
    }

    func parameter(_ key: ParameterScope, shape: [Int]) -> Variable { parameter(key.path, shape) }

    func unused(_ key: ParameterScope, export: Bool) {
        if export, let t = store.peek(key.path) { frozenTensors[key.path] = t }
        store.ignore(key.path)
    }

    func frozen(_ make: (InferenceBuilder) throws -> (Tensor) -> Tensor) rethrows -> (Tensor, ForwardContext) -> Variable {
        let (run, taken) = try store.recordingTaken { try make(InferenceBuilder(store)) }
        frozenTensors.merge(taken) { a, _ in a }
        return { x, _ in Variable(run(x)) }
    }

    func attention(heads: Int) -> Layer {
        { qkv, c in Differentiable.attention(qkv, heads: heads, tape: c.tape) }
    }

    func maxPool(_ x: Variable, kernel: Int, stride: Int, padding: Int, _ c: ForwardContext) -> Variable {
        Differentiable.maxPool2d(x, kernel: kernel, stride: stride, padding: padding, tape: c.tape)
    }

    func globalAveragePool(_ x: Variable, _ c: ForwardContext) -> Variable { Differentiable.globalAveragePool(x, tape: c.tape) }

    func activation(_ x: Variable, _ kind: ActivationKind, _ c: ForwardContext) -> Variable {
        Differentiable.activation(x, kind, tape: c.tape)
    }

    func scaleChannels(_ x: Variable, by s: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.scaleChannels(x, by: s, tape: c.tape)
    }

    func dropout(_ x: Variable, p: Float, _ c: ForwardContext) -> Variable {
        c.training ? Differentiable.dropout(x, p: p, generator: &c.dropout, tape: c.tape) : x
    }

    func patchTokens(_ x: Variable, _ c: ForwardContext) -> Variable {
        let s = x.value.shape
        return Differentiable.reshape(x, [s[0], s[1] * s[2], s[3]], tape: c.tape)
    }

    func assembleTokens(prefix: [Variable], patches: Variable, position: Variable, _ c: ForwardContext) -> Variable {
        Differentiable.assembleTokens(prefix: prefix, patches: patches, position: position, tape: c.tape)
    }

    func selectToken(_ x: Variable, index: Int, _ c: ForwardContext) -> Variable {
        Differentiable.selectToken(x, index: index, tape: c.tape)
    }

    func concatFeatures(_ parts: [Variable], _ c: ForwardContext) -> Variable {
        Differentiable.concatFeatures(parts, tape: c.tape)
    }
}

/// A network built by `TrainingBuilder`: the `TrainableModel` that `TrainableModels.build` returns.
final class TrainingNetwork: TrainableModel {
    let config: ArchitectureConfig
    let parameters: [(name: String, variable: Variable)]
    private let buffers: [(name: String, tensor: Tensor)]
    private let frozen: [String: Tensor]
    private let run: ([Tensor], ForwardContext) -> Variable

    init(_ config: ArchitectureConfig, _ builder: TrainingBuilder, _ run: @escaping ([Tensor], ForwardContext) -> Variable) {
        self.config = config
        parameters = builder.parameters
        buffers = builder.buffers
        frozen = builder.frozenTensors
        self.run = run
    }

    func forward(_ views: [Tensor], context: ForwardContext) -> Variable { run(views, context) }

    func exportWeights() -> [String: Tensor] {
        var out = frozen.mapValues { $0.copy() }
        for (name, v) in parameters { out[name] = v.value.copy() }
        for (name, t) in buffers { out[name] = t.copy() }
        return out
    }
}
