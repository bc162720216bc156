"""TrainResult: what every trainer returns to `ml.training.fit.run`, whatever the architecture."""

from __future__ import annotations

from dataclasses import dataclass, field

import keras


@dataclass(frozen=True)
class TrainResult:
    model: keras.Model  # raw strings in, the positive probability out: what validation is scored with
    history: dict  # recorded in metrics.json
    # The ensemble saves only its stacking head (the members stay in their own folders) and names the
    # members in config.json; every other model saves itself and names nothing.
    head: keras.Model | None = None
    references: dict = field(default_factory=dict)

    @property
    def saved_model(self) -> keras.Model:
        return self.model if self.head is None else self.head
