"""Every change of finance data that has rules: transactional, locked where people race, validated in full,
with the reason its history records. Pages, the API, imports and tasks all call these."""
