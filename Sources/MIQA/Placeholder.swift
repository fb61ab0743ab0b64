import Tensor
import Imaging
public enum MIQAPlaceholder {}
