/// Video analytics and annotation (frame sampling, per-second aggregation, annotated video).
public enum MIQAVideoPlaceholder {}
