import Foundation

/// A value in a differentiable computation: a tensor and, once backward has reached it, the
/// gradient of the loss with respect to it.
///
/// Parameters are long-lived variables whose gradient the optimiser reads; activations are
/// short-lived ones created by the differentiable ops. A variable that does not require a
/// gradient (inputs, frozen weights) never receives one, and ops on only such variables record
/// nothing on the tape.
public final class Variable: @unchecked Sendable {
    /// The forward value.
    public var value: Tensor
    /// d(loss)/d(value), same shape as `value`; nil until something flowed back into it.
    public private(set) var grad: Tensor?
    /// Whether gradients are wanted for this variable.
    public let requiresGrad: Bool

    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
    }

    /// Adds `g` into the gradient. The first contribution is adopted without a copy (the caller
    /// hands it over), so the common single-consumer case costs neither a zero fill nor an add.
    public func addGrad(_ g: Tensor) {
        guard requiresGrad else { return }
        precondition(g.count == value.count, "gradient \(g.shape) for value \(value.shape)")
        if let grad {
            Elementwise.addInPlace(grad, g)
        } else {
            grad = g.shape == value.shape ? g : g.reshapedInPlace(value.shape)
        }
    }

    /// The gradient buffer, created as zeros if nothing flowed back yet (for kernels that
    /// accumulate into it directly).
    public func gradBuffer() -> Tensor {
        if let grad { return grad }
        let g = Tensor(zeros: value.shape)
        grad = g
        return g
    }

    /// Forgets the gradient (before the next step's backward pass).
    public func zeroGrad() { grad = nil }
}
