"""Word-level explanations of a verdict: exact shares for n-gram models, Integrated Gradients for networks."""
