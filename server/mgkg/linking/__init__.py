"""Linking MGKG's resources to other datasets' names and items, without HTTP of its own serving.

    reconciliation   the index behind the Reconciliation Service API: names matched to resources
    extension        the property values of reconciled resources, as the API's data extension writes them
    wikidata         MGKG's facts beside Wikidata's (agrees, missing, conflict), and the recorded comparison
    quickstatements  the facts Wikidata lacks as QuickStatements commands, and the conflicts to review
"""
