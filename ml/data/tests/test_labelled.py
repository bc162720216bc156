"""The SST-2 and counterfactual loaders on tiny files of their own: checksums, clear errors, pairs."""

import hashlib

import numpy as np
import pytest

from ml.data import DatasetError, Split
from ml.data.counterfactual import load_counterfactual, without_pairs_in
from ml.data.sst import load_sst2


def write_with_sums(folder, files: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    sums = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        sums.append(f"{hashlib.sha256(text.encode()).hexdigest()}  {name}")
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return folder


SST = {
    "train.tsv": "sentence\tlabel\nnot bad at all \t1\na dull , lifeless film \t0\n",
    "dev.tsv": "sentence\tlabel\nit 's a charming and often affecting journey . \t1\n",
}
PAIRS = (
    "Sentiment\tText\tbatch_id\n"
    'Negative\tA dull film. "Avoid" it.<br /><br />Really.\t7\n'
    'Positive\tA bright film. "See" it.<br /><br />Really.\t7\n'
    "Positive\tThe best cast of the year.\t9\n"
    "Negative\tThe worst cast of the year.\t9\n"
)


def test_sst_splits_load_with_their_labels(tmp_path):
    root = write_with_sums(tmp_path / "sst2", SST)
    train = load_sst2("train", root)
    assert train.texts == ["not bad at all", "a dull , lifeless film"]
    assert train.labels.tolist() == [1, 0]
    assert len(load_sst2("dev", root)) == 1


def test_sst_test_split_is_refused(tmp_path):
    root = write_with_sums(tmp_path / "sst2", SST)
    with pytest.raises(DatasetError, match="held out"):
        load_sst2("test", root)


def test_a_missing_file_names_its_path(tmp_path):
    with pytest.raises(DatasetError, match="dev.tsv not found"):
        load_sst2("dev", tmp_path / "nowhere")


def test_an_altered_file_is_refused(tmp_path):
    root = write_with_sums(tmp_path / "sst2", SST)
    (root / "train.tsv").write_text(SST["train.tsv"].replace("\t1\n", "\t0\n"), encoding="utf-8")
    with pytest.raises(DatasetError, match="does not match its checksum"):
        load_sst2("train", root)


def test_a_bad_label_is_refused(tmp_path):
    root = write_with_sums(tmp_path / "sst2", {**SST, "dev.tsv": "sentence\tlabel\ngood\tpositive\n"})
    with pytest.raises(DatasetError, match="0 or 1"):
        load_sst2("dev", root)


def test_counterfactual_pairs_load_with_quotes_and_markup_kept(tmp_path):
    root = write_with_sums(tmp_path / "cf", {"train_paired.tsv": PAIRS})
    pairs = load_counterfactual("train", root)
    assert len(pairs) == 4
    assert pairs.reviews.texts[0] == 'A dull film. "Avoid" it.<br /><br />Really.'
    assert pairs.reviews.labels.tolist() == [0, 1, 1, 0]
    assert pairs.pair_ids.tolist() == ["7", "7", "9", "9"]


def test_a_pair_without_both_verdicts_is_refused(tmp_path):
    root = write_with_sums(
        tmp_path / "cf", {"dev_paired.tsv": PAIRS.replace("Positive\tA bright", "Negative\tA bright")}
    )
    with pytest.raises(DatasetError, match="pair 7"):
        load_counterfactual("dev", root)


def test_pairs_whose_review_is_held_out_are_dropped_whole(tmp_path):
    pairs = load_counterfactual("train", write_with_sums(tmp_path / "cf", {"train_paired.tsv": PAIRS}))
    validation = Split(["a DULL film -- Avoid it. Really!"], np.array([0]), np.array([2]))
    kept = without_pairs_in(pairs, validation)
    assert kept.pair_ids.tolist() == ["9", "9"]
    assert kept.reviews.texts == ["The best cast of the year.", "The worst cast of the year."]
