"""The IMDB loader: archive and folder, errors, download, and the validation split."""

import tarfile

import numpy as np
import pytest

from ml.data import imdb as data
from ml.testing import write_tiny_archive


def test_archive_and_folder_give_the_same_dataset(tmp_path):
    archive = write_tiny_archive(tmp_path / "tiny.tar.gz", per_split=20, unsup=3)
    folder = write_tiny_archive(tmp_path / "extracted", per_split=20, unsup=3, folder=True)
    from_archive = data.load_imdb(archive, include_unsup=True, expected_per_split=20)
    from_folder = data.load_imdb(folder, include_unsup=True, expected_per_split=20)
    assert from_archive.train.texts == from_folder.train.texts
    assert from_archive.test.texts == from_folder.test.texts
    assert len(from_archive.unsup) == 3
    assert from_archive.sha256 == data.sha256_of(archive)
    assert from_folder.sha256 is None


def test_labels_and_ratings_come_from_the_file_names(tmp_path):
    dataset = data.load_imdb(write_tiny_archive(tmp_path / "t.tar.gz", per_split=20), expected_per_split=20)
    assert dataset.train.labels.sum() == 10
    positive = dataset.train.ratings[dataset.train.labels == 1]
    negative = dataset.train.ratings[dataset.train.labels == 0]
    assert positive.min() >= 7 and negative.max() <= 4
    assert dataset.unsup is None
    assert all("<br />" in text for text in dataset.train.texts)  # raw text: cleaning is preprocessing's job


def test_missing_archive_names_the_path(tmp_path):
    with pytest.raises(data.DatasetError, match=str(tmp_path / "nope.tar.gz")):
        data.load_imdb(tmp_path / "nope.tar.gz")


def test_truncated_archive_is_a_clear_error(tmp_path):
    archive = write_tiny_archive(tmp_path / "t.tar.gz", per_split=200)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(data.DatasetError, match="truncated"):
        data.load_imdb(truncated, expected_per_split=200)


def test_wrong_archive_is_a_clear_error(tmp_path):
    wrong = tmp_path / "wrong.tar.gz"
    (tmp_path / "hello.txt").write_text("not a review")
    with tarfile.open(wrong, "w:gz") as archive:
        archive.add(tmp_path / "hello.txt", arcname="hello.txt")
    with pytest.raises(data.DatasetError, match="0 labelled train reviews, expected 25000"):
        data.load_imdb(wrong)


def test_incomplete_archive_reports_the_counts(tmp_path):
    archive = write_tiny_archive(tmp_path / "t.tar.gz", per_split=20)
    with pytest.raises(data.DatasetError, match="20 labelled train reviews, expected 21"):
        data.load_imdb(archive, expected_per_split=21)


def test_environment_variable_picks_the_archive(tmp_path, monkeypatch):
    archive = write_tiny_archive(tmp_path / "t.tar.gz")
    monkeypatch.setenv("IMDB_DATA", str(archive))
    assert data.resolve_path() == archive


def test_download_moves_the_file_into_place_only_when_complete(tmp_path):
    source = write_tiny_archive(tmp_path / "source.tar.gz")
    destination = tmp_path / "cache" / "aclImdb_v1.tar.gz"
    assert data.download(source.as_uri(), destination) == destination
    assert destination.read_bytes() == source.read_bytes()
    assert not list(destination.parent.glob("*.part"))


def test_failed_download_leaves_nothing_behind(tmp_path):
    destination = tmp_path / "cache" / "aclImdb_v1.tar.gz"
    with pytest.raises(OSError):
        data.download((tmp_path / "missing.tar.gz").as_uri(), destination)
    assert not destination.exists()
    assert not list(destination.parent.glob("*"))


def test_validation_split_is_stratified_seeded_and_disjoint(tmp_path):
    dataset = data.load_imdb(write_tiny_archive(tmp_path / "t.tar.gz", per_split=40), expected_per_split=40)
    train, validation = data.train_validation_split(dataset.train, validation_fraction=0.25, seed=7)
    again, _ = data.train_validation_split(dataset.train, validation_fraction=0.25, seed=7)
    assert len(validation) == 10 and len(train) == 30
    assert validation.labels.sum() == 5  # stratified: half positive, like the training reviews
    assert not set(train.texts) & set(validation.texts)
    assert train.texts == again.texts
    other, _ = data.train_validation_split(dataset.train, validation_fraction=0.25, seed=8)
    assert other.texts != train.texts


def test_validation_fraction_must_be_a_fraction():
    split = data.Split(["a"], np.array([1]), np.array([9]))
    with pytest.raises(ValueError):
        data.train_validation_split(split, validation_fraction=1.5)


@pytest.mark.full_data
def test_the_real_archive_has_25k_and_25k_reviews_and_the_published_checksum():
    from ml.testing import imdb_archive

    dataset = data.load_imdb(imdb_archive())
    assert len(dataset.train) == len(dataset.test) == 25_000
    assert dataset.train.labels.sum() == dataset.test.labels.sum() == 12_500
    assert dataset.sha256 == "630400f7e77f38a660084b23b451f00a2c187926ebac25d89f2f06418f0eb581"


def test_reviews_carry_their_film_from_the_urls_files(tmp_path):
    for source in (write_tiny_archive(tmp_path / "t.tar.gz"), write_tiny_archive(tmp_path / "dir", folder=True)):
        dataset = data.load_imdb(source, expected_per_split=20)
        assert dataset.train.films is not None and len(dataset.train.films) == 20
        # The tiny archive gives review i the film tt0<i // 4>; the loader sorts by (label, id).
        ids = [int(name.split("_")[0]) for name in sorted_review_files(source, "train")]
        assert list(dataset.train.films) == [f"tt0{i // 4:06d}" for i in ids]


def sorted_review_files(source, split):
    import tarfile as tar
    from pathlib import Path

    if Path(source).is_dir():
        names = [p.relative_to(source).as_posix() for p in Path(source).rglob("*_*.txt")]
    else:
        with tar.open(source) as archive:
            names = archive.getnames()
    rows = []
    for name in names:
        parts = name.split("/")
        if len(parts) == 4 and parts[1] == split and parts[2] in ("pos", "neg"):
            rows.append((parts[2] == "pos", int(parts[3].split("_")[0]), parts[3]))
    return [name for _, _, name in sorted(rows)]


def test_without_urls_files_there_are_no_films_and_no_grouped_split(tmp_path):
    dataset = data.load_imdb(write_tiny_archive(tmp_path / "t.tar.gz", with_urls=False), expected_per_split=20)
    assert dataset.train.films is None
    with pytest.raises(data.DatasetError, match="urls"):
        data.grouped_validation_split(dataset.train)


def test_grouped_split_keeps_every_film_on_one_side(tmp_path):
    dataset = data.load_imdb(write_tiny_archive(tmp_path / "t.tar.gz", per_split=200), expected_per_split=200)
    train, validation = data.grouped_validation_split(dataset.train, validation_fraction=0.1, seed=3)
    assert not set(train.films) & set(validation.films)
    assert len(train) + len(validation) == 200
    assert 10 <= len(validation) <= 30  # about 10%, in whole films of four reviews
    assert 0.3 <= validation.labels.mean() <= 0.7  # stratified: both labels on the validation side
    again, _ = data.grouped_validation_split(dataset.train, validation_fraction=0.1, seed=3)
    assert again.texts == train.texts


def test_a_test_unsup_folder_is_not_read_as_unlabelled_reviews(tmp_path):
    folder = write_tiny_archive(tmp_path / "dir", unsup=2, folder=True)
    (folder / "aclImdb" / "test" / "unsup").mkdir()
    (folder / "aclImdb" / "test" / "unsup" / "0_0.txt").write_text("smuggled test review")
    dataset = data.load_imdb(folder, include_unsup=True, expected_per_split=20)
    assert len(dataset.unsup) == 2 and "smuggled test review" not in dataset.unsup


@pytest.mark.full_data
def test_the_full_archive_grouped_split_shares_no_film():
    from ml.testing import imdb_archive

    dataset = data.load_imdb(imdb_archive())
    assert dataset.train.films is not None and dataset.test.films is not None
    train, validation = data.grouped_validation_split(dataset.train)
    assert not set(train.films) & set(validation.films)
    assert 2_000 <= len(validation) <= 3_000
    assert abs(validation.labels.mean() - 0.5) < 0.05
    # IMDB's own train and test films are disjoint (the README), which the split copies; the urls files
    # name one title on both sides (25 of 50,000 reviews).
    assert len(set(dataset.train.films) & set(dataset.test.films)) <= 1
