# The CSV layout of the abalone data: seven features, then the age.
FEATURES = 7
LABEL = 7
