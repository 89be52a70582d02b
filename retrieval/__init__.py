"""Reading, segmenting, classifying and searching contract documents."""
