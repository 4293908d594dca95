"""Finance: fiscal years, accounts, budgets, actuals, expenditures and service rates."""
