"""What users do with their conversations besides chatting: feedback, search and export."""
