from . import loyalty_card
from . import account_move
