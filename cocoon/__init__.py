"""cocoon: near-repeat burglary alerts (cocooning) for Swedish local police."""

__version__ = "0.1.0"
