from wagtail import hooks

from .service import saved_search_problems, saved_search_record_ids

# Thematic collections extend their hand-picked records with a saved search:
# fn(query, filters, language_code, offset, limit) -> (record ids, total) or
# None when the engine is down. A hook, so that exhibitions asks for it without
# importing search (the arrows point from search to exhibitions, not back).
hooks.register("evaluate_saved_search", saved_search_record_ids)

# fn(query, filters) -> [message]: what the search cannot use in a saved
# search, refused when the editor saves the collection.
hooks.register("validate_saved_search", saved_search_problems)
