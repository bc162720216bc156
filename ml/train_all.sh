#!/usr/bin/env bash
# Retrain every shipped model the way the shipped artifacts were made, then evaluate and report.
# Needs the dataset ($IMDB_DATA, --data, or the download). About an hour on a 2-core CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
train() { "$PY" -m ml.train "$@"; }

# 1. Supervised models on the 22,500 training reviews (10% held out for validation).
train --arch nbsvm
train --arch cnn --name cnn_plain
train --arch rnn --name rnn_plain
train --arch rcnn --name rcnn_plain
# 2. A teacher: their validation-stacked ensemble. It labels the 50,000 unlabelled reviews.
train --arch ensemble --name teacher --set 'members=["nbsvm","cnn_plain","rnn_plain","rcnn_plain"]'
# 3. The shipped networks learn from the labelled reviews plus the teacher-labelled unlabelled ones.
train --arch cnn --set teacher=nbsvm --set epochs=4
train --arch rnn --set teacher=teacher --set epochs=3
train --arch rcnn --set teacher=teacher --set epochs=2
# 4. The served default: the stacked ensemble of the n-gram model and the three networks.
train --arch ensemble --name default --set 'members=["nbsvm","cnn","rnn","rcnn"]'
# 5. The test set, read once, and the report.
"$PY" -m ml.evaluate ml/artifacts/{nbsvm,cnn,rnn,rcnn,default}
"$PY" -m ml.report
