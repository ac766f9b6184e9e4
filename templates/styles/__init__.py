"""The house styles boardclerk ships: one folder per style (style.yaml, minutes.yaml,
frontsheet.docx), schema in README.md. Data only; installed as ``boardclerk_styles``."""
