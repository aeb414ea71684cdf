"""Measure the assistant on scripted shopper conversations (`shopmcp eval conversations`)."""

from shopmcp.evaluation.checks import State, done_problems, generic_problems, turn_problems
from shopmcp.evaluation.corpus import Conversation, CorpusError, Turn, load_corpus
from shopmcp.evaluation.language import english_sentences
from shopmcp.evaluation.report import compare_known, figures, read_known, write_known
from shopmcp.evaluation.runner import ConversationResult, TurnResult, run_conversation

__all__ = [
    "Conversation",
    "ConversationResult",
    "CorpusError",
    "State",
    "Turn",
    "TurnResult",
    "compare_known",
    "done_problems",
    "english_sentences",
    "figures",
    "generic_problems",
    "load_corpus",
    "read_known",
    "run_conversation",
    "turn_problems",
    "write_known",
]
